// Request parameters shared by every contract: the per-target tags that thresholds and reports
// key on, a `name` tag so that URLs with ids do not each become a metric series, and a timeout.
import { envDuration, envNumber } from './env.js';

/** @typedef {import('k6/http').Params} Params */
/** @typedef {import('./targets.js').Target} Target */

// k6's own default is 60s; a shorter one makes a saturated service show as errors in the report.
const TIMEOUT = envDuration('REQUEST_TIMEOUT', '10s');

/** Values per request body (converter and model); 1 sends the scalar form of the old clients. */
export const BATCH = envNumber('BATCH', 1, { min: 1, integer: true });

/**
 * @param {Target} target
 * @param {string} name the request's route template, e.g. 'GET /prices/{id}'
 * @param {Params} [extra]
 * @returns {Params}
 */
export function params(target, name, extra = {}) {
  return { timeout: TIMEOUT, ...extra, tags: { target: target.name, name } };
}

/**
 * @param {Target} target
 * @param {string} name
 * @returns {Params}
 */
export function jsonParams(target, name) {
  return params(target, name, { headers: { 'Content-Type': 'application/json' } });
}
