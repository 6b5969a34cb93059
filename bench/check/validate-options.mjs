// Checks a script's exported options the way k6 reads them: scenario fields per executor (k6
// rejects unknown ones), durations, stages, exec functions, and each threshold's metric, tags and
// expression with the aggregations its metric type allows.

const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const SCENARIO_NAME = /^[0-9A-Za-z_-]+$/;
const COMMON = ['executor', 'startTime', 'gracefulStop', 'exec', 'env', 'tags', 'options'];
const EXECUTORS = {
  'shared-iterations': { required: [], optional: ['vus', 'iterations', 'maxDuration'] },
  'per-vu-iterations': { required: [], optional: ['vus', 'iterations', 'maxDuration'] },
  'constant-vus': { required: ['duration'], optional: ['vus'] },
  'ramping-vus': { required: ['stages'], optional: ['startVUs', 'gracefulRampDown'] },
  'constant-arrival-rate': { required: ['duration', 'rate', 'preAllocatedVUs'], optional: ['timeUnit', 'maxVUs'] },
  'ramping-arrival-rate': { required: ['stages', 'preAllocatedVUs'], optional: ['startRate', 'timeUnit', 'maxVUs'] },
};
const DURATION_FIELDS = ['startTime', 'gracefulStop', 'maxDuration', 'duration', 'gracefulRampDown', 'timeUnit'];
const COUNT_FIELDS = ['vus', 'iterations', 'rate', 'preAllocatedVUs', 'maxVUs', 'startVUs', 'startRate'];
const OPTION_KEYS = new Set([
  'batch', 'batchPerHost', 'blacklistIPs', 'blockHostnames', 'discardResponseBodies', 'dns', 'duration',
  'executionSegment', 'executionSegmentSequence', 'ext', 'cloud', 'handleSummaryTimeout', 'hosts', 'httpDebug',
  'insecureSkipTLSVerify', 'iterations', 'linger', 'maxRedirects', 'minIterationDuration', 'noConnectionReuse',
  'noCookiesReset', 'noUsageReport', 'noVUConnectionReuse', 'paused', 'rps', 'scenarios', 'setupTimeout', 'stages',
  'summaryTrendStats', 'summaryTimeUnit', 'systemTags', 'tags', 'teardownTimeout', 'thresholds', 'throw',
  'tlsAuth', 'tlsCipherSuites', 'tlsVersion', 'userAgent', 'vus', 'vusMax',
]);
const AGGREGATIONS = {
  counter: /^(count|rate)$/,
  gauge: /^value$/,
  rate: /^rate$/,
  trend: /^(avg|min|max|med|p\(\d+(\.\d+)?\))$/,
};
const EXPRESSION = /^\s*(\S+?)\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(\.\d+)?)\s*$/;
const TREND_STAT = /^(avg|min|max|med|count|p\(\d+(\.\d+)?\))$/;

/**
 * @param {Record<string, unknown>} module the script's exports
 * @param {Map<string, { type: string }>} metrics every metric known after the init context ran
 * @returns {string[]} what is wrong
 */
export function validateOptions(module, metrics) {
  const options = /** @type {Record<string, any>} */ (module.options);
  if (options === null || typeof options !== 'object') return ['the script exports no options object'];
  const errors = Object.keys(options).filter((k) => !OPTION_KEYS.has(k)).map((k) => `unknown option "${k}"`);
  const scenarios = Object.entries(options.scenarios ?? {});
  if (scenarios.length === 0) errors.push('no scenarios');
  for (const [name, scenario] of scenarios) errors.push(...validateScenario(name, scenario, module).map((e) => `scenario ${name}: ${e}`));
  for (const [key, list] of Object.entries(options.thresholds ?? {})) errors.push(...validateThreshold(key, list, metrics).map((e) => `threshold ${key}: ${e}`));
  for (const stat of options.summaryTrendStats ?? []) if (!TREND_STAT.test(stat)) errors.push(`summaryTrendStats: "${stat}" is not a trend statistic`);
  return errors;
}

/**
 * @param {string} name
 * @param {Record<string, any>} scenario
 * @param {Record<string, unknown>} module
 * @returns {string[]}
 */
function validateScenario(name, scenario, module) {
  const errors = [];
  if (!SCENARIO_NAME.test(name)) errors.push(`name must match ${SCENARIO_NAME}`);
  const spec = EXECUTORS[/** @type {keyof typeof EXECUTORS} */ (scenario.executor)];
  if (!spec) return [...errors, `unknown executor "${scenario.executor}"`];
  const allowed = new Set([...COMMON, ...spec.required, ...spec.optional]);
  for (const key of Object.keys(scenario)) if (!allowed.has(key)) errors.push(`field "${key}" is not one of ${scenario.executor}'s`);
  for (const key of spec.required) if (scenario[key] === undefined) errors.push(`${scenario.executor} needs "${key}"`);
  for (const key of DURATION_FIELDS) if (scenario[key] !== undefined && !DURATION.test(String(scenario[key]))) errors.push(`${key} "${scenario[key]}" is not a duration`);
  for (const key of COUNT_FIELDS) {
    const value = scenario[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) errors.push(`${key} ${value} is not a whole number`);
  }
  if (scenario.maxVUs !== undefined && scenario.maxVUs < scenario.preAllocatedVUs) errors.push('maxVUs is below preAllocatedVUs');
  for (const [i, stage] of (scenario.stages ?? []).entries()) {
    if (!DURATION.test(String(stage.duration)) || !Number.isInteger(stage.target) || stage.target < 0 || Object.keys(stage).length !== 2) {
      errors.push(`stage ${i} ${JSON.stringify(stage)} is not {duration, target}`);
    }
  }
  for (const field of ['tags', 'env']) {
    for (const [key, value] of Object.entries(scenario[field] ?? {})) if (typeof value !== 'string') errors.push(`${field}.${key} is not a string`);
  }
  const exec = scenario.exec ?? 'default';
  if (typeof module[exec] !== 'function') errors.push(`exec "${exec}" is not an exported function`);
  return errors;
}

/**
 * @param {string} key metric{tag:value,...}
 * @param {unknown} list
 * @param {Map<string, { type: string }>} metrics
 * @returns {string[]}
 */
function validateThreshold(key, list, metrics) {
  const parsed = parseMetricKey(key);
  if (parsed === null) return ['is not metric or metric{tag:value,...}'];
  const metric = metrics.get(parsed.metric);
  if (!metric) return [`no metric named ${parsed.metric}`];
  if (!Array.isArray(list) || list.length === 0) return ['needs a non-empty list of expressions'];
  const errors = [];
  for (const item of list) {
    const source = typeof item === 'string' ? item : item?.threshold;
    const match = typeof source === 'string' ? EXPRESSION.exec(source) : null;
    if (match === null) errors.push(`"${JSON.stringify(item)}" is not "aggregation operator number"`);
    else if (!AGGREGATIONS[/** @type {keyof typeof AGGREGATIONS} */ (metric.type)].test(match[1] ?? '')) {
      errors.push(`"${match[1]}" is not an aggregation of a ${metric.type} metric`);
    }
  }
  return errors;
}

/**
 * @param {string} key
 * @returns {{ metric: string, tags: Record<string, string> } | null}
 */
export function parseMetricKey(key) {
  const match = /^([a-zA-Z_][a-zA-Z0-9_]*)(?:\{([^{}]*)\})?$/.exec(key.trim());
  if (match === null) return null;
  /** @type {Record<string, string>} */
  const tags = {};
  for (const pair of (match[2] ?? '').split(',').filter((p) => p.trim() !== '')) {
    const at = pair.indexOf(':');
    if (at <= 0) return null;
    tags[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return { metric: match[1] ?? '', tags };
}
