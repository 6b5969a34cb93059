// Turns k6's end-of-test data into what the text and HTML reports show: one row per target, the
// thresholds and checks, and for the staircase profiles each step's numbers and the knee.
import { envNumber } from './env.js';

/** @typedef {import('./profiles.js').Plan} Plan */
/** @typedef {import('./targets.js').Target} Target */
/**
 * k6's handleSummary() argument, the parts read here.
 * @typedef {object} SummaryData
 * @property {Record<string, { type: string, contains: string, values: Record<string, number>, thresholds?: Record<string, { ok: boolean }> }>} metrics
 * @property {{ testRunDurationMs: number }} state
 * @property {SummaryGroup} root_group
 * @property {unknown} [setup_data]
 */
/** @typedef {{ name: string, groups: SummaryGroup[], checks: { name: string, passes: number, fails: number }[] }} SummaryGroup */
/**
 * @typedef {object} TargetRow
 * @property {string} name
 * @property {string} baseUrl
 * @property {number} requests
 * @property {number} rps requests per second over the whole run
 * @property {Record<'avg' | 'med' | 'p90' | 'p95' | 'p99' | 'max', number | null>} ms
 * @property {number | null} failedRate
 * @property {number | null} checkRate
 * @property {boolean} thresholdsOk
 */
/** @typedef {{ metric: string, expression: string, ok: boolean }} ThresholdRow */
/** @typedef {{ label: string, rate: number, requests: number, achievedRps: number, p50: number | null, p99: number | null, okRate: number | null }} StepRow */
/** @typedef {{ rate: number | null, text: string }} Knee */
/**
 * @typedef {object} ReportModel
 * @property {string} script
 * @property {string} profile
 * @property {string} profileSummary
 * @property {string} generatedAt ISO time
 * @property {number} durationS
 * @property {TargetRow[]} targets
 * @property {ThresholdRow[]} thresholds
 * @property {{ name: string, passes: number, fails: number }[]} checks
 * @property {Record<string, StepRow[]>} steps per target; empty unless the profile climbs through rates
 * @property {Record<string, Knee>} knees per target
 * @property {{ p99Ms: number, minOkRate: number, minAchieved: number }} kneeRule
 */

// The knee: the highest rate step before the first one that misses any of these.
const KNEE_RULE = {
  p99Ms: envNumber('KNEE_P99_MS', 100, { min: 0 }),
  minOkRate: envNumber('KNEE_MIN_OK_RATE', 0.99, { min: 0 }),
  minAchieved: envNumber('KNEE_MIN_ACHIEVED', 0.95, { min: 0 }),
};

/**
 * @param {SummaryData} data
 * @param {{ script: string, plan: Plan, targets: Target[], generatedAt: string }} run
 * @returns {ReportModel}
 */
export function reportModel(data, run) {
  const durationS = data.state.testRunDurationMs / 1000;
  const thresholds = thresholdRows(data);
  /** @type {Record<string, StepRow[]>} */
  const steps = {};
  /** @type {Record<string, Knee>} */
  const knees = {};
  for (const target of run.targets) {
    if (run.plan.steps.length === 0) continue;
    steps[target.name] = stepRows(data, run.plan, target.name);
    knees[target.name] = knee(steps[target.name] ?? []);
  }
  return {
    script: run.script,
    profile: run.plan.name,
    profileSummary: run.plan.summary,
    generatedAt: run.generatedAt,
    durationS,
    targets: run.targets.map((target) => targetRow(data, target, durationS, thresholds)),
    thresholds,
    checks: allChecks(data.root_group),
    steps,
    knees,
    kneeRule: KNEE_RULE,
  };
}

/**
 * @param {SummaryData} data
 * @param {Target} target
 * @param {number} durationS
 * @param {ThresholdRow[]} thresholds
 * @returns {TargetRow}
 */
function targetRow(data, target, durationS, thresholds) {
  const duration = data.metrics[`http_req_duration{target:${target.name}}`]?.values ?? {};
  const requests = duration.count ?? 0;
  const tag = new RegExp(`\\{(target|scenario):${target.name}\\}$`);
  return {
    name: target.name,
    baseUrl: target.baseUrl,
    requests,
    rps: durationS > 0 ? requests / durationS : 0,
    ms: {
      avg: duration.avg ?? null,
      med: duration.med ?? null,
      p90: duration['p(90)'] ?? null,
      p95: duration['p(95)'] ?? null,
      p99: duration['p(99)'] ?? null,
      max: duration.max ?? null,
    },
    failedRate: data.metrics[`http_req_failed{target:${target.name}}`]?.values.rate ?? null,
    checkRate: data.metrics[`checks{target:${target.name}}`]?.values.rate ?? null,
    thresholdsOk: thresholds.filter((t) => tag.test(t.metric)).every((t) => t.ok),
  };
}

/**
 * @param {SummaryData} data
 * @returns {ThresholdRow[]}
 */
function thresholdRows(data) {
  /** @type {ThresholdRow[]} */
  const rows = [];
  for (const [metric, summary] of Object.entries(data.metrics)) {
    for (const [expression, { ok }] of Object.entries(summary.thresholds ?? {})) rows.push({ metric, expression, ok });
  }
  return rows.sort((a, b) => a.metric.localeCompare(b.metric));
}

/**
 * Checks by name, summed over the root group and every nested one (setup() runs in its own group).
 * @param {SummaryGroup} root
 * @returns {{ name: string, passes: number, fails: number }[]}
 */
function allChecks(root) {
  /** @type {Map<string, { name: string, passes: number, fails: number }>} */
  const byName = new Map();
  /** @param {SummaryGroup} group */
  const visit = (group) => {
    for (const { name, passes, fails } of group.checks) {
      const entry = byName.get(name) ?? { name, passes: 0, fails: 0 };
      entry.passes += passes;
      entry.fails += fails;
      byName.set(name, entry);
    }
    group.groups.forEach(visit);
  };
  visit(root);
  return [...byName.values()];
}

/**
 * @param {SummaryData} data
 * @param {Plan} plan
 * @param {string} targetName
 * @returns {StepRow[]}
 */
function stepRows(data, plan, targetName) {
  return plan.steps.map((step) => {
    const latency = data.metrics[`step_${targetName}_${step.label}_ms`]?.values ?? {};
    const ok = data.metrics[`step_${targetName}_${step.label}_ok`]?.values ?? {};
    const requests = latency.count ?? 0;
    return {
      label: step.label,
      rate: step.rate,
      requests,
      achievedRps: requests / (step.toS - step.fromS),
      p50: latency.med ?? null,
      p99: latency['p(99)'] ?? null,
      okRate: ok.rate ?? null,
    };
  });
}

/**
 * @param {StepRow[]} rows
 * @returns {Knee}
 */
function knee(rows) {
  const climbing = rows.filter((row) => row.label !== 'recovery');
  const firstMiss = climbing.findIndex((row) => missReason(row) !== null);
  if (firstMiss === -1) {
    const top = climbing[climbing.length - 1];
    return { rate: null, text: `not reached: every step up to ${top ? top.rate : 0}/s held; raise the rates` };
  }
  const missed = climbing[firstMiss];
  const reason = missed ? `${missed.rate}/s ${missReason(missed)}` : '';
  const held = climbing[firstMiss - 1];
  return held
    ? { rate: held.rate, text: `${held.rate}/s (next step ${reason})` }
    : { rate: null, text: `below the first step: ${reason}` };
}

/**
 * Why a step is past the knee, or null when it held.
 * @param {StepRow} row
 * @returns {string | null}
 */
function missReason(row) {
  if (row.requests === 0) return 'had no requests';
  if (row.achievedRps < KNEE_RULE.minAchieved * row.rate) return `achieved only ${row.achievedRps.toFixed(0)}/s`;
  if (row.okRate !== null && row.okRate < KNEE_RULE.minOkRate) return `had ${((1 - row.okRate) * 100).toFixed(1)}% failed answers`;
  if (row.p99 !== null && row.p99 > KNEE_RULE.p99Ms) return `had p99 ${row.p99.toFixed(1)} ms`;
  return null;
}
