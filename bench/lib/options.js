// k6 options from a plan and targets: one scenario per target, all of the same shape, each tagged
// with its target so that every metric it emits (requests, checks, iterations) can be split per
// target, and thresholds per target from the plan's limits.

/** @typedef {import('k6/options').Options} Options */
/** @typedef {import('k6/options').Scenario} Scenario */
/** @typedef {import('./profiles.js').Plan} Plan */
/** @typedef {import('./targets.js').Target} Target */

/** Trend statistics in the summary; `count` gives each target's request count. */
const TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];

/**
 * @param {Plan} plan
 * @param {Target[]} targets
 * @param {string} [execName] the exported function every scenario runs; default() if omitted
 * @returns {Options}
 */
export function buildOptions(plan, targets, execName) {
  /** @type {Record<string, Scenario>} */
  const scenarios = {};
  /** @type {Record<string, string[]>} */
  const thresholds = {};
  for (const target of targets) {
    scenarios[target.name] = { ...plan.scenario, tags: { target: target.name }, ...(execName ? { exec: execName } : {}) };
    Object.assign(thresholds, targetThresholds(plan, target.name));
  }
  return { scenarios, thresholds, summaryTrendStats: TREND_STATS };
}

/**
 * @param {Plan} plan
 * @param {string} name
 * @returns {Record<string, string[]>}
 */
function targetThresholds(plan, name) {
  const { maxErrorRate, minCheckRate, p95Ms, p99Ms, maxDropped } = plan.limits;
  /** @type {Record<string, string[]>} */
  const thresholds = {
    [`http_req_duration{target:${name}}`]: [`p(95)<${p95Ms}`, `p(99)<${p99Ms}`],
    [`http_req_failed{target:${name}}`]: [`rate<=${maxErrorRate}`],
    [`checks{target:${name}}`]: [`rate>=${minCheckRate}`],
  };
  // An arrival-rate run that could not start its iterations did not apply the load it claims.
  if (maxDropped !== null) thresholds[`dropped_iterations{scenario:${name}}`] = [`count<=${maxDropped}`];
  return thresholds;
}
