// Runs every k6 script under every profile once through the stand-in (run-one.mjs, a fresh process
// each, as k6 gives each run a fresh runtime), the variants whose code paths the profiles do not
// reach, and the same scripts against a lying server, where they must fail. A target whose service
// does not answer fails its cases, unless BENCH_CHECK_ALLOW_SKIP=1, which skips them (and drops it
// from the head-to-head line-up).
import { spawn } from 'node:child_process';
import { register } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLiar } from './liar.mjs';

register('./hooks.mjs', import.meta.url);
/** @type {Record<string, unknown>} */ (globalThis).__ENV = { ...process.env };
const { headToHeadTargets, target } = await import('../lib/targets.js');
const { PROFILES } = await import('../lib/profiles.js');

const here = path.dirname(fileURLToPath(import.meta.url));
const flag = (/** @type {string} */ name) => /^(1|true|yes)$/i.test(process.env[name] ?? '');
const allowSkip = flag('BENCH_CHECK_ALLOW_SKIP');
const verbose = flag('BENCH_CHECK_VERBOSE');

/**
 * @typedef {object} Case
 * @property {string} script
 * @property {string} profile
 * @property {string[]} targets the services it needs
 * @property {Record<string, string>} [env]
 * @property {string[]} [mustFail] check names that must fail: the run is expected to fail naming them
 */

/** @returns {Case[]} */
function realCases() {
  const lineUp = headToHeadTargets().map((t) => t.name);
  const withPrice = [...new Set([...lineUp, 'price'])];
  return [
    ...PROFILES.flatMap((profile) => [
      { script: 'convert.js', profile, targets: ['converter'] },
      { script: 'predict.js', profile, targets: ['model'] },
      { script: 'price.js', profile, targets: ['price'] },
      { script: 'head-to-head.js', profile, targets: lineUp },
    ]),
    { script: 'convert.js', profile: 'smoke', targets: ['converter'], env: { BATCH: '8' } },
    { script: 'predict.js', profile: 'smoke', targets: ['model'], env: { BATCH: '8' } },
    { script: 'predict.js', profile: 'smoke', targets: ['model'], env: { MODEL_FORMAT: 'columnar' } },
    { script: 'price.js', profile: 'smoke', targets: ['price'], env: { PRICE_API: 'legacy' } },
    { script: 'price.js', profile: 'smoke', targets: ['price'], env: { PRICE_API: 'lookup' } },
    // The whole sample list the service ships, read with open().
    { script: 'price.js', profile: 'smoke', targets: ['price'], env: { PRICES_FILE: '../price-service/prices.txt' } },
    { script: 'head-to-head.js', profile: 'smoke', targets: withPrice, env: { TARGETS: withPrice.join(',') } },
    // Each peer alone through convert.js, when its URL is given.
    ...lineUp.filter((name) => name.endsWith('_peer')).map((name) => ({ script: 'convert.js', profile: 'smoke', targets: [name], env: { TARGET: name } })),
  ];
}

/**
 * @param {string} url the lying server
 * @returns {Case[]}
 */
function liarCases(url) {
  return [
    { script: 'convert.js', profile: 'smoke', targets: [], env: { BASE_URL_CONVERTER: url }, mustFail: ['converter: celsius correct', 'converter: app_id is 8 hex digits'] },
    { script: 'predict.js', profile: 'smoke', targets: [], env: { BASE_URL_MODEL: url }, mustFail: ['model: celsius correct (row)', 'model: celsius correct (columnar)'] },
    { script: 'price.js', profile: 'smoke', targets: [], env: { BASE_URL_PRICE: url }, mustFail: ['price: JSON price exact', 'price: plain-text price exact'] },
  ];
}

/**
 * Whether something accepts TCP connections at the address.
 * @param {string} baseUrl
 * @returns {Promise<boolean>}
 */
function reachable(baseUrl) {
  const url = new URL(baseUrl);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port, timeout: 2000 });
    const done = (/** @type {boolean} */ ok) => { socket.destroy(); resolve(ok); };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/**
 * @param {Case} c
 * @param {Record<string, string>} env
 * @returns {Promise<{ status: number | null, output: string }>}
 */
function runOne(c, env) {
  const suffix = Object.entries(c.env ?? {}).filter(([k]) => !k.startsWith('BASE_URL_')).map(([k, v]) => `-${k.toLowerCase()}-${v.replace(/[^a-z0-9]+/gi, '_')}`).join('');
  const prefix = `check-${path.basename(c.script, '.js')}-${c.profile}${suffix}${c.mustFail ? '-liar' : ''}`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['run-one.mjs', path.join('..', c.script)], {
      cwd: here,
      env: { ...process.env, PROFILE: c.profile, RESULTS_PREFIX: prefix, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120000,
    });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('close', (status) => resolve({ status, output }));
  });
}

const started = Date.now();
const liar = await startLiar();
const cases = [...realCases(), ...liarCases(liar.url)];
/** @type {Map<string, string>} */
const down = new Map();
for (const name of new Set(cases.flatMap((c) => c.targets))) {
  const { baseUrl } = target(name);
  if (!(await reachable(baseUrl))) down.set(name, baseUrl);
}
const counts = { passed: 0, failed: 0, skipped: 0 };
for (const c of cases) {
  const label = `${c.script} ${c.profile}${Object.entries(c.env ?? {}).map(([k, v]) => ` ${k}=${v}`).join('')}`;
  const missing = c.targets.filter((name) => down.has(name));
  const absent = missing.map((name) => `${name} (${down.get(name)})`).join(', ');
  /** @type {Record<string, string>} */
  const env = { ...c.env };
  if (missing.length > 0) {
    const remaining = c.targets.filter((name) => !down.has(name));
    if (!allowSkip) {
      counts.failed += 1;
      process.stdout.write(`FAIL ${label}: not reachable: ${absent}; start it, or set BENCH_CHECK_ALLOW_SKIP=1 to skip it\n`);
      continue;
    }
    if (c.script !== 'head-to-head.js' || remaining.length === 0) {
      counts.skipped += 1;
      process.stdout.write(`SKIP ${label}: not reachable: ${absent}\n`);
      continue;
    }
    env.TARGETS = remaining.join(',');
    process.stdout.write(`  (${label}: without ${absent}, not reachable)\n`);
  }
  const { status, output } = await runOne(c, env);
  const ok = c.mustFail
    ? status === 1 && c.mustFail.every((name) => output.includes(`check failed: ${name}`))
    : status === 0;
  counts[ok ? 'passed' : 'failed'] += 1;
  process.stdout.write(`${ok ? 'PASS' : 'FAIL'} ${label}${c.mustFail ? ' (must fail: a lying server)' : ''}\n`);
  if (!ok || verbose) process.stdout.write(output);
}
liar.close();
process.stdout.write(`stand-in run took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
process.stdout.write(`k6-scripts: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
process.exit(counts.failed === 0 ? 0 : 1);
