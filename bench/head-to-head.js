// The comparison: every target in the same run under the same load, one scenario each, every
// request and check tagged with its target and judged by per-target thresholds. Default line-up:
// converter-vertx and model-serving, plus each peer whose BASE_URL_* is set; TARGETS overrides.
//   k6 run -e PROFILE=ramp -e BASE_URL_GO_PEER=http://127.0.0.1:8090 bench/head-to-head.js
//   k6 run -e PROFILE=smoke -e TARGETS=converter,model,price,go_peer bench/head-to-head.js
import exec from 'k6/execution';
import { iterate } from './lib/iteration.js';
import { buildOptions } from './lib/options.js';
import { preflight } from './lib/preflight.js';
import { profilePlan } from './lib/profiles.js';
import { stepRecorder } from './lib/steps.js';
import { summarize } from './lib/summary.js';
import { headToHeadTargets } from './lib/targets.js';

const TARGETS = headToHeadTargets();
const PLAN = profilePlan();
const STEPS = stepRecorder(PLAN.steps, TARGETS.map((t) => t.name));

// Each scenario is named after its target; they all run targetIteration(), which finds its target
// by the scenario's name.
export const options = buildOptions(PLAN, TARGETS, 'targetIteration');

export function setup() {
  return preflight(TARGETS);
}

export function targetIteration() {
  const current = TARGETS.find((t) => t.name === exec.scenario.name);
  if (current === undefined) throw new Error(`no target for scenario ${exec.scenario.name}`);
  iterate(PLAN, STEPS, current);
}

/** @param {import('./lib/report-model.js').SummaryData} data */
export function handleSummary(data) {
  return summarize('head-to-head', PLAN, TARGETS, data);
}
