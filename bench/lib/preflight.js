// setup(): known answers from every target before any load. A wrong or absent service stops the
// run at once (k6 aborts when setup throws) instead of measuring errors for minutes.
import { fail } from 'k6';
import { preflightConvert } from './contract-convert.js';
import { preflightPredict } from './contract-predict.js';
import { preflightPrice } from './contract-price.js';

/** @typedef {import('./targets.js').Target} Target */

/**
 * @param {Target[]} targets
 * @returns {{ targets: { name: string, baseUrl: string }[] }} the setup data, kept in the summary
 */
export function preflight(targets) {
  const failures = targets.flatMap((target) => {
    const found = target.contract === 'convert' ? preflightConvert(target)
      : target.contract === 'predict' ? preflightPredict(target)
        : preflightPrice(target);
    return found.map((failure) => `${target.name} (${target.baseUrl}): ${failure}`);
  });
  if (failures.length > 0) fail(`preflight failed:\n  ${failures.join('\n  ')}`);
  return { targets: targets.map(({ name, baseUrl }) => ({ name, baseUrl })) };
}
