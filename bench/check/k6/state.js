// What the stand-in k6 modules record while a script runs, shared by them and the runner: the
// phase of the test life cycle (k6 allows some calls only in some phases), the metrics with their
// samples, the checks, and every failure the runner must report.

/** @typedef {'counter' | 'gauge' | 'rate' | 'trend'} MetricType */
/** @typedef {'default' | 'time' | 'data'} MetricContains */
/** @typedef {{ value: number, tags: Record<string, string> }} Sample */
/** @typedef {{ type: MetricType, contains: MetricContains, samples: Sample[] }} MetricRecord */
/** @typedef {{ name: string, executor: string, startTime: number, tags: Record<string, string>, iterations: number }} ScenarioState */

// k6 refuses other metric names.
const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,127}$/;

export const state = {
  /** @type {'init' | 'setup' | 'vu' | 'teardown' | 'summary'} */
  phase: 'init',
  /** @type {Map<string, MetricRecord>} */
  metrics: new Map(),
  /** @type {Map<string, { name: string, group: string, passes: number, fails: number }>} keyed by group path and name */
  checks: new Map(),
  /** @type {string[]} failed checks, errored requests and exceptions, for the runner to report */
  failures: [],
  /** @type {{ method: string, url: string, status: number, failed: boolean }[]} */
  requests: [],
  /** group path as k6 writes it: '' for the root, '::setup', '::name' */
  group: '',
  /** @type {ScenarioState | null} */
  scenario: null,
  vu: { id: 0, iteration: 0 },
  /** @type {Record<string, unknown>} the script's options, for exec.test.options */
  options: {},
  startedAt: Date.now(),
};

/**
 * Declares a metric, as k6 does for its built-in ones and for new Trend(...) and the like.
 * @param {string} name
 * @param {MetricType} type
 * @param {MetricContains} contains
 */
export function registerMetric(name, type, contains) {
  if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name "${name}": k6 wants ${METRIC_NAME}`);
  const existing = state.metrics.get(name);
  if (existing && (existing.type !== type || existing.contains !== contains)) {
    throw new Error(`metric "${name}" already exists as a ${existing.type} (${existing.contains})`);
  }
  if (!existing) state.metrics.set(name, { type, contains, samples: [] });
}

/**
 * One sample, with the tags k6 adds by itself: the scenario's name and tags, the group.
 * @param {string} name
 * @param {number} value
 * @param {Record<string, string>} [tags]
 */
export function addSample(name, value, tags = {}) {
  const metric = state.metrics.get(name);
  if (!metric) throw new Error(`no metric "${name}"`);
  const context = state.scenario ? { scenario: state.scenario.name, ...state.scenario.tags } : {};
  metric.samples.push({ value, tags: { ...context, group: state.group, ...tags } });
}

/**
 * @param {string} what
 */
export function recordFailure(what) {
  state.failures.push(what);
}

for (const [name, type, contains] of /** @type {[string, MetricType, MetricContains][]} */ ([
  ['checks', 'rate', 'default'], ['data_received', 'counter', 'data'], ['data_sent', 'counter', 'data'],
  ['dropped_iterations', 'counter', 'default'], ['group_duration', 'trend', 'time'],
  ['http_req_blocked', 'trend', 'time'], ['http_req_connecting', 'trend', 'time'],
  ['http_req_duration', 'trend', 'time'], ['http_req_failed', 'rate', 'default'],
  ['http_req_receiving', 'trend', 'time'], ['http_req_sending', 'trend', 'time'],
  ['http_req_tls_handshaking', 'trend', 'time'], ['http_req_waiting', 'trend', 'time'],
  ['http_reqs', 'counter', 'default'], ['iteration_duration', 'trend', 'time'], ['iterations', 'counter', 'default'],
  ['vus', 'gauge', 'default'], ['vus_max', 'gauge', 'default'],
])) registerMetric(name, type, contains);
