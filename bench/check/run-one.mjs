// Runs one k6 script once through the stand-in, the way k6 would run it with one VU and one
// iteration per scenario: init context (options validated), setup(), each scenario's exec function
// against the real services, teardown(), then handleSummary() on the recorded samples, its files
// written where it says. Exit status 1 on any failed check, failed request, exception or bad option.
//   node run-one.mjs ../convert.js   (PROFILE and BASE_URL_* from the environment)
import { readFileSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { durationMs } from './k6/duration.js';
import { state } from './k6/state.js';
import { samplesFor, summaryData } from './summary-data.mjs';
import { validateOptions } from './validate-options.mjs';

register('./hooks.mjs', import.meta.url);

const scriptPath = path.resolve(process.argv[2] ?? '');
const log = (/** @type {string} */ line) => process.stdout.write(`  ${line}\n`);

/** k6's globals: the environment, VU and iteration numbers, open() for the init context. */
function installGlobals() {
  const g = /** @type {Record<string, unknown>} */ (globalThis);
  g.__ENV = { ...process.env };
  g.__VU = 0;
  g.__ITER = 0;
  g.open = (/** @type {string} */ file, /** @type {string | undefined} */ mode) => {
    if (state.phase !== 'init') throw new Error('open() is only available in the init context');
    const resolved = file.startsWith('file://') ? fileURLToPath(file) : path.resolve(path.dirname(scriptPath), file);
    const data = readFileSync(resolved);
    return mode === 'b' ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) : data.toString('utf8');
  };
}

/**
 * Where in the scenario the single iteration pretends to start: the middle of the second stage,
 * which for the staircase profiles is the first hold window, so per-step metrics get a sample.
 * @param {Record<string, any>} scenario
 */
function offsetMs(scenario) {
  const stages = scenario.stages ?? [];
  if (stages.length < 2) return 0;
  return durationMs(stages[0].duration) + durationMs(stages[1].duration) / 2;
}

/**
 * @param {string} what
 * @param {() => unknown} fn
 */
function guarded(what, fn) {
  try {
    return fn();
  } catch (err) {
    state.failures.push(`${what} threw: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/**
 * @param {Record<string, unknown>} module
 * @param {Record<string, any>} options
 * @param {unknown} setupData what setup() returned, through JSON as k6 passes it
 */
function runScenarios(module, options, setupData) {
  for (const [name, scenario] of Object.entries(options.scenarios ?? {})) {
    const exec = scenario.exec ?? 'default';
    const fn = /** @type {(data: unknown) => void} */ (module[exec]);
    state.scenario = { name, executor: scenario.executor, startTime: Date.now() - offsetMs(scenario), tags: scenario.tags ?? {}, iterations: 0 };
    state.vu = { id: 1, iteration: 0 };
    const before = state.requests.length;
    const started = performance.now();
    guarded(`scenario ${name} (${exec})`, () => fn(setupData));
    const tags = { scenario: name, ...scenario.tags };
    state.metrics.get('iterations')?.samples.push({ value: 1, tags });
    state.metrics.get('iteration_duration')?.samples.push({ value: performance.now() - started, tags });
    log(`scenario ${name}: ${scenario.executor}, exec ${exec}, ${state.requests.length - before} request(s)`);
    if (state.requests.length === before) state.failures.push(`scenario ${name} sent no request`);
  }
  state.scenario = null;
}

/**
 * Writes what handleSummary() returned, as k6 does, and checks that the report is there and whole.
 * @param {unknown} outputs
 */
function writeSummary(outputs) {
  if (outputs === null || typeof outputs !== 'object') {
    state.failures.push('handleSummary() returned no object');
    return;
  }
  const files = Object.entries(outputs).filter(([key]) => key !== 'stdout' && key !== 'stderr');
  const resultsDir = path.resolve(process.env.RESULTS_DIR ?? fileURLToPath(new URL('../results', import.meta.url)));
  for (const [file, content] of files) {
    if (path.dirname(path.resolve(file)) !== resultsDir) state.failures.push(`${file} is not in ${resultsDir}`);
    writeFileSync(file, typeof content === 'string' ? content : new Uint8Array(/** @type {ArrayBuffer} */ (content)));
    log(`wrote ${file}`);
  }
  const html = files.find(([file]) => file.endsWith('.html'));
  const json = files.find(([file]) => file.endsWith('.json'));
  if (!html || !json) state.failures.push('handleSummary() did not write both an .html and a .json file');
  if (html && !selfContained(String(html[1]))) state.failures.push(`${html[0]} is not a self-contained HTML report with charts`);
  if (json) guarded(`parsing ${json[0]}`, () => JSON.parse(String(json[1])));
  const stdout = (/** @type {Record<string, unknown>} */ (outputs)).stdout;
  if (typeof stdout !== 'string') state.failures.push('handleSummary() gave no stdout text');
  else process.stdout.write(stdout.replace(/^/gm, '  | '));
}

/** @param {string} html */
function selfContained(html) {
  return html.startsWith('<!doctype html>') && html.trimEnd().endsWith('</html>') && html.includes('<svg')
    && !/<script|<link|\bsrc=|@import|url\(/i.test(html);
}

async function main() {
  installGlobals();
  const started = Date.now();
  const module = /** @type {Record<string, unknown>} */ (await import(pathToFileURL(scriptPath).href));
  const options = /** @type {Record<string, any>} */ (module.options ?? {});
  state.options = options;
  const optionErrors = validateOptions(module, state.metrics);
  state.failures.push(...optionErrors.map((e) => `options: ${e}`));
  log(`options: ${Object.keys(options.scenarios ?? {}).join(', ')}; ${Object.keys(options.thresholds ?? {}).length} threshold keys`);
  if (optionErrors.length > 0) return;

  state.phase = 'setup';
  state.group = '::setup';
  const setupData = typeof module.setup === 'function'
    ? JSON.parse(JSON.stringify(guarded('setup()', () => /** @type {() => unknown} */ (module.setup)()) ?? null))
    : undefined;
  state.group = '';
  if (state.failures.length > 0) return;

  state.phase = 'vu';
  runScenarios(module, options, setupData);

  if (typeof module.teardown === 'function') {
    state.phase = 'teardown';
    guarded('teardown()', () => /** @type {(data: unknown) => void} */ (module.teardown)(setupData));
  }

  for (const key of Object.keys(options.thresholds ?? {})) {
    // dropped_iterations only has samples when a run falls behind its rate.
    if (!key.startsWith('dropped_iterations') && samplesFor(state, key) === 0) state.failures.push(`threshold ${key} matched no sample: it could never fail`);
  }
  const data = summaryData(state, options, setupData, Date.now() - started);
  const held = Object.values(data.metrics).flatMap((m) => Object.values(m.thresholds ?? {})).filter((t) => t.ok).length;
  const total = Object.values(data.metrics).flatMap((m) => Object.values(m.thresholds ?? {})).length;
  log(`${state.requests.length} request(s); checks ${[...state.checks.values()].reduce((n, c) => n + c.passes, 0)} passed, ${[...state.checks.values()].reduce((n, c) => n + c.fails, 0)} failed; thresholds ${held}/${total} held on this single iteration (shown, not judged)`);

  if (typeof module.handleSummary !== 'function') {
    state.failures.push('no handleSummary() export');
    return;
  }
  state.phase = 'summary';
  writeSummary(guarded('handleSummary()', () => /** @type {(d: unknown) => unknown} */ (module.handleSummary)(data)));
}

await main().catch((err) => state.failures.push(`loading the script failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`));
for (const failure of state.failures) process.stdout.write(`  FAIL ${failure}\n`);
process.exit(state.failures.length === 0 ? 0 : 1);
