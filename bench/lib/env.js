// Typed reads of k6's __ENV (`k6 run -e NAME=value` or the process environment).
// A bad value stops the script at start-up: a typo such as RATE=1O0 must not run a wrong experiment.

/**
 * @param {string} name
 * @param {string} fallback
 * @returns {string}
 */
export function envString(name, fallback) {
  const value = __ENV[name];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

/**
 * @param {string} name
 * @param {number} fallback
 * @param {{ min?: number, integer?: boolean }} [rules]
 * @returns {number}
 */
export function envNumber(name, fallback, rules = {}) {
  const raw = envString(name, '');
  const value = raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name}=${raw} is not a number`);
  if (rules.integer && !Number.isInteger(value)) throw new Error(`${name}=${raw} must be an integer`);
  if (rules.min !== undefined && value < rules.min) throw new Error(`${name}=${raw} must be >= ${rules.min}`);
  return value;
}

/**
 * A comma-separated list, blanks dropped.
 * @param {string} name
 * @param {string[]} fallback
 * @returns {string[]}
 */
export function envList(name, fallback) {
  const raw = envString(name, '');
  if (raw === '') return fallback;
  return raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/**
 * A list of positive numbers, e.g. RAMP_RATES=200,500,1000.
 * @param {string} name
 * @param {number[]} fallback
 * @returns {number[]}
 */
export function envNumberList(name, fallback) {
  const items = envList(name, fallback.map(String));
  return items.map((item) => {
    const value = Number(item);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name}: ${item} is not a positive integer`);
    return value;
  });
}

// k6 reads durations as Go durations: 30s, 2m, 1h30m, 500ms.
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/**
 * @param {string} name
 * @param {string} fallback
 * @returns {string}
 */
export function envDuration(name, fallback) {
  const value = envString(name, fallback);
  if (!GO_DURATION.test(value)) throw new Error(`${name}=${value} is not a duration such as 30s, 2m or 1h30m`);
  return value;
}

/**
 * Seconds in a Go duration string, for rates and step arithmetic.
 * @param {string} duration
 * @returns {number}
 */
export function durationSeconds(duration) {
  if (!GO_DURATION.test(duration)) throw new Error(`${duration} is not a duration`);
  /** @type {Record<string, number>} */
  const unit = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  const part = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
  let seconds = 0;
  for (let match = part.exec(duration); match !== null; match = part.exec(duration)) {
    seconds += Number(match[1]) * (unit[String(match[2])] ?? 0);
  }
  return seconds;
}
