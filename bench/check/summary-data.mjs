// Builds the argument of handleSummary() from what the stand-in recorded, in k6's shape: metrics
// with type, contains and values (trend statistics from summaryTrendStats), a submetric for each
// tagged threshold key with its thresholds evaluated, the root group's checks, the test's state.
import { parseMetricKey } from './validate-options.mjs';

/** @typedef {import('./k6/state.js').MetricRecord} MetricRecord */
/** @typedef {import('./k6/state.js').Sample} Sample */

const DEFAULT_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];

/**
 * @param {typeof import('./k6/state.js').state} state
 * @param {Record<string, any>} options the script's options
 * @param {unknown} setupData
 * @param {number} durationMs
 */
export function summaryData(state, options, setupData, durationMs) {
  const trendStats = options.summaryTrendStats ?? DEFAULT_TREND_STATS;
  /** @type {Record<string, any>} */
  const metrics = {};
  for (const [name, record] of state.metrics) {
    if (record.samples.length > 0) metrics[name] = entry(record, record.samples, trendStats, durationMs);
  }
  for (const [key, list] of Object.entries(options.thresholds ?? {})) {
    const parsed = parseMetricKey(key);
    const record = parsed && state.metrics.get(parsed.metric);
    if (!parsed || !record) throw new Error(`threshold on unknown metric ${key}`);
    const samples = record.samples.filter((s) => Object.entries(parsed.tags).every(([k, v]) => s.tags[k] === v));
    const target = metrics[key] ?? entry(record, samples, trendStats, durationMs);
    target.thresholds = Object.fromEntries(/** @type {unknown[]} */ (list).map((item) => {
      const source = typeof item === 'string' ? item : /** @type {{ threshold: string }} */ (item).threshold;
      return [source, { ok: holds(source, record, samples, durationMs) }];
    }));
    metrics[key] = target;
  }
  return {
    root_group: rootGroup(state.checks),
    options: { summaryTrendStats: trendStats, summaryTimeUnit: '', noColor: true },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: durationMs },
    metrics,
    setup_data: setupData,
  };
}

/**
 * How many samples matched a threshold key, so that the runner can refuse thresholds that never
 * see a sample (a misspelt tag makes a threshold that cannot fail).
 * @param {typeof import('./k6/state.js').state} state
 * @param {string} key
 */
export function samplesFor(state, key) {
  const parsed = parseMetricKey(key);
  const record = parsed && state.metrics.get(parsed.metric);
  if (!parsed || !record) return 0;
  return record.samples.filter((s) => Object.entries(parsed.tags).every(([k, v]) => s.tags[k] === v)).length;
}

/**
 * @param {MetricRecord} record
 * @param {Sample[]} samples
 * @param {string[]} trendStats
 * @param {number} durationMs
 */
function entry(record, samples, trendStats, durationMs) {
  const values = samples.map((s) => s.value);
  return {
    type: record.type,
    contains: record.contains,
    values: record.type === 'trend'
      ? Object.fromEntries(trendStats.map((stat) => [stat, aggregate(stat, record, values, durationMs)]))
      : Object.fromEntries(STATS[record.type].map((stat) => [stat, aggregate(stat, record, values, durationMs)])),
  };
}

const STATS = { counter: ['count', 'rate'], gauge: ['value', 'min', 'max'], rate: ['rate', 'passes', 'fails'], trend: [] };

/**
 * One statistic of a metric's values, as k6 computes it.
 * @param {string} stat
 * @param {MetricRecord} record
 * @param {number[]} values
 * @param {number} durationMs
 * @returns {number}
 */
function aggregate(stat, record, values, durationMs) {
  const sum = values.reduce((a, b) => a + b, 0);
  const nonZero = values.filter((v) => v !== 0).length;
  if (record.type === 'counter') return stat === 'count' ? sum : sum / (durationMs / 1000);
  if (record.type === 'rate') return stat === 'rate' ? (values.length ? nonZero / values.length : 0) : stat === 'passes' ? nonZero : values.length - nonZero;
  if (record.type === 'gauge') return stat === 'min' ? Math.min(...values) : stat === 'max' ? Math.max(...values) : (values.at(-1) ?? 0);
  const sorted = [...values].sort((a, b) => a - b);
  const percentile = /^p\((\d+(?:\.\d+)?)\)$/.exec(stat);
  switch (true) {
    case stat === 'count': return values.length;
    case stat === 'avg': return values.length ? sum / values.length : 0;
    case stat === 'min': return sorted[0] ?? 0;
    case stat === 'max': return sorted.at(-1) ?? 0;
    case stat === 'med': return interpolate(sorted, 0.5);
    case percentile !== null: return interpolate(sorted, Number(percentile[1]) / 100);
    default: throw new Error(`unknown trend statistic ${stat}`);
  }
}

/**
 * k6's percentile: linear interpolation between the closest ranks.
 * @param {number[]} sorted
 * @param {number} q 0..1
 */
function interpolate(sorted, q) {
  if (sorted.length === 0) return 0;
  const at = q * (sorted.length - 1);
  const lower = sorted[Math.floor(at)] ?? 0;
  const upper = sorted[Math.ceil(at)] ?? lower;
  return lower + (upper - lower) * (at - Math.floor(at));
}

/**
 * @param {string} source e.g. "p(95)<500"
 * @param {MetricRecord} record
 * @param {Sample[]} samples
 * @param {number} durationMs
 */
function holds(source, record, samples, durationMs) {
  const match = /^\s*(\S+?)\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(source);
  if (match === null) throw new Error(`unparsable threshold ${source}`);
  const actual = aggregate(match[1] ?? '', record, samples.map((s) => s.value), durationMs);
  const limit = Number(match[3]);
  switch (match[2]) {
    case '<': return actual < limit;
    case '<=': return actual <= limit;
    case '>': return actual > limit;
    case '>=': return actual >= limit;
    case '!=': return actual !== limit;
    default: return actual === limit;
  }
}

/**
 * k6's root_group: checks of the root, nested groups by '::' path.
 * @param {Map<string, { name: string, group: string, passes: number, fails: number }>} checks
 */
function rootGroup(checks) {
  /** @typedef {{ name: string, path: string, id: string, groups: Group[], checks: object[] }} Group */
  /** @type {Group} */
  const root = { name: '', path: '', id: '', groups: [], checks: [] };
  for (const check of checks.values()) {
    let group = root;
    for (const name of check.group.split('::').slice(1)) {
      const path = `${group.path}::${name}`;
      let child = group.groups.find((g) => g.path === path);
      if (!child) group.groups.push(child = { name, path, id: path, groups: [], checks: [] });
      group = child;
    }
    group.checks.push({ name: check.name, path: `${check.group}::${check.name}`, id: `${check.group}::${check.name}`, passes: check.passes, fails: check.fails });
  }
  return root;
}
