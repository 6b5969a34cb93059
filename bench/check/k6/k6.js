// Stand-in for the 'k6' module: check, group, sleep, fail, randomSeed.
import { sleepSync } from './sync-http.js';
import { addSample, recordFailure, state } from './state.js';

/**
 * Runs each named check on the value; a check passes when its function returns a truthy value.
 * Like k6, an exception in a check function propagates and ends the iteration.
 * @param {unknown} value
 * @param {Record<string, unknown>} sets name -> function of the value (or a plain value)
 * @param {Record<string, string>} [tags]
 * @returns {boolean} whether all passed
 */
export function check(value, sets, tags = {}) {
  if (state.phase === 'init') throw new Error('check() is not allowed in the init context');
  let all = true;
  for (const [name, checker] of Object.entries(sets)) {
    const passed = Boolean(typeof checker === 'function' ? checker(value) : checker);
    addSample('checks', passed ? 1 : 0, { ...tags, check: name });
    const key = `${state.group}\u0000${name}`;
    const entry = state.checks.get(key) ?? { name, group: state.group, passes: 0, fails: 0 };
    if (passed) entry.passes += 1;
    else entry.fails += 1;
    state.checks.set(key, entry);
    if (!passed) {
      all = false;
      recordFailure(`check failed: ${name}${describe(value)}`);
    }
  }
  return all;
}

/**
 * @template T
 * @param {string} name
 * @param {() => T} fn
 * @returns {T}
 */
export function group(name, fn) {
  if (state.phase === 'init') throw new Error('group() is not allowed in the init context');
  if (name.includes('::')) throw new Error('group and check names may not contain "::"');
  const outer = state.group;
  state.group = `${outer}::${name}`;
  const started = performance.now();
  try {
    const result = fn();
    if (result instanceof Promise) throw new Error('group() does not take async functions');
    return result;
  } finally {
    addSample('group_duration', performance.now() - started);
    state.group = outer;
  }
}

/**
 * @param {number} seconds
 */
export function sleep(seconds) {
  if (state.phase === 'init') throw new Error('sleep() is not allowed in the init context');
  sleepSync(seconds * 1000);
}

/**
 * @param {string} [message]
 * @returns {never}
 */
export function fail(message = '') {
  throw new Error(message);
}

/**
 * Seeds Math.random, as k6's randomSeed does (mulberry32: small, deterministic).
 * @param {number} seed
 */
export function randomSeed(seed) {
  let t = seed >>> 0;
  Math.random = () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A hint of what was checked, so a failure report shows the answer that was wrong.
 * @param {unknown} value
 * @returns {string}
 */
function describe(value) {
  if (value && typeof value === 'object' && 'status' in value && 'url' in value) {
    const res = /** @type {{ status: number, url: string, body: unknown }} */ (value);
    const body = typeof res.body === 'string' ? res.body.slice(0, 200) : '';
    return ` (${res.url} answered ${res.status}: ${JSON.stringify(body)})`;
  }
  return '';
}

export default { check, group, sleep, fail, randomSeed };
