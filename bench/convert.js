// Load on converter-vertx's POST /convert, or on any service with the same contract:
//   k6 run -e PROFILE=smoke bench/convert.js
//   k6 run -e PROFILE=ramp -e TARGET=go_peer -e BASE_URL_GO_PEER=http://127.0.0.1:8090 bench/convert.js
import { envString } from './lib/env.js';
import { iterate } from './lib/iteration.js';
import { buildOptions } from './lib/options.js';
import { preflight } from './lib/preflight.js';
import { profilePlan } from './lib/profiles.js';
import { stepRecorder } from './lib/steps.js';
import { summarize } from './lib/summary.js';
import { target } from './lib/targets.js';

const TARGET = target(envString('TARGET', 'converter'));
if (TARGET.contract !== 'convert') throw new Error(`TARGET=${TARGET.name} does not serve POST /convert`);
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
  return summarize('convert', PLAN, [TARGET], data);
}
