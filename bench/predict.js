// Load on model-serving's TensorFlow Serving predict API (row format by default):
//   k6 run -e PROFILE=smoke bench/predict.js
//   k6 run -e PROFILE=ramp -e MODEL_FORMAT=columnar -e BATCH=16 bench/predict.js
import { iterate } from './lib/iteration.js';
import { buildOptions } from './lib/options.js';
import { preflight } from './lib/preflight.js';
import { profilePlan } from './lib/profiles.js';
import { stepRecorder } from './lib/steps.js';
import { summarize } from './lib/summary.js';
import { target } from './lib/targets.js';

const TARGET = target('model');
const PLAN = profilePlan();
const STEPS = stepRecorder(PLAN.steps, [TARGET.name]);

export const options = buildOptions(PLAN, [TARGET]);

export function setup() {
  return preflight([TARGET]);
}

export default function () {
  iterate(PLAN, STEPS, TARGET);
}

/** @param {import('./lib/report-model.js').SummaryData} data */
export function handleSummary(data) {
  return summarize('predict', PLAN, [TARGET], data);
}
