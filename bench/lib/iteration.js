// One iteration of any script: one request to one target with its answer checked, its step
// recorded when the profile climbs through rates, then the profile's think time.
import { sleep } from 'k6';
import { convert } from './contract-convert.js';
import { predict } from './contract-predict.js';
import { price } from './contract-price.js';

/** @typedef {import('./targets.js').Target} Target */
/** @typedef {import('./profiles.js').Plan} Plan */
/** @typedef {ReturnType<typeof import('./steps.js').stepRecorder>} StepRecorder */

/**
 * @param {Plan} plan
 * @param {StepRecorder} steps
 * @param {Target} target
 */
export function iterate(plan, steps, target) {
  const startedAt = Date.now();
  const { res, ok } = request(plan, target);
  steps.record(target.name, startedAt, res.timings.duration, ok);
  if (plan.sleepSeconds > 0) sleep(plan.sleepSeconds);
}

/**
 * @param {Plan} plan
 * @param {Target} target
 */
function request(plan, target) {
  switch (target.contract) {
    case 'convert': return convert(target);
    case 'predict': return predict(target);
    // The seed profile replays the original test, which asked the Flask service's endpoint.
    case 'price': return price(target, plan.name === 'seed' ? 'legacy' : undefined);
  }
}
