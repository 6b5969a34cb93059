// Load on price-service: GET /prices/{id} (PRICE_API=rest, the default) or the Flask service's
// GET /price?product_id= (PRICE_API=legacy). PROFILE=seed replays the original k6 test unchanged,
// on the legacy endpoint as it did:
//   k6 run -e PROFILE=seed bench/price.js
import { iterate } from './lib/iteration.js';
import { buildOptions } from './lib/options.js';
import { preflight } from './lib/preflight.js';
import { profilePlan } from './lib/profiles.js';
import { stepRecorder } from './lib/steps.js';
import { summarize } from './lib/summary.js';
import { target } from './lib/targets.js';

const TARGET = target('price');
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
  return summarize('price', PLAN, [TARGET], data);
}
