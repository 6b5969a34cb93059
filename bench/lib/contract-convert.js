// The converter's contract (converter-vertx and the peers): POST /convert {"fahrenheit": f}
// answers {"celsius": (f-32)*5/9, "app_id": "<8 hex>"}; a list of f answers a list of celsius.
import http from 'k6/http';
import { check } from 'k6';
import { BATCH, jsonParams } from './request.js';
import { APP_ID, DOUBLE_TOLERANCE, allCelsius, field, jsonBody, randomFahrenheits } from './verify.js';

/** @typedef {import('./targets.js').Target} Target */
/** @typedef {import('k6/http').Response} Response */

/**
 * One request with random input, its answer checked.
 * @param {Target} target
 * @param {number[]} [fahrenheits] the inputs; BATCH random values by default
 * @returns {{ res: Response, ok: boolean }}
 */
export function convert(target, fahrenheits = randomFahrenheits(BATCH)) {
  const single = fahrenheits.length === 1;
  const body = JSON.stringify({ fahrenheit: single ? fahrenheits[0] : fahrenheits });
  const res = http.post(`${target.baseUrl}/convert`, body, jsonParams(target, 'POST /convert'));
  const answer = jsonBody(res);
  const celsius = field(answer, 'celsius');
  const ok = check(res, {
    [`${target.name}: status 200`]: (r) => r.status === 200,
    [`${target.name}: celsius correct`]: () => allCelsius(single ? [celsius] : asArray(celsius), fahrenheits, DOUBLE_TOLERANCE),
    [`${target.name}: app_id is 8 hex digits`]: () => APP_ID.test(String(field(answer, 'app_id'))),
  }, { target: target.name });
  return { res, ok };
}

/**
 * Known answers before the load starts: 212 °F is 100 °C, and with BATCH > 1 the list form too.
 * @param {Target} target
 * @returns {string[]} what failed
 */
export function preflightConvert(target) {
  const failures = [];
  if (!convert(target, [212]).ok) failures.push('POST /convert {"fahrenheit": 212} did not answer 100');
  if (BATCH > 1 && !convert(target, [98.6, -40]).ok) failures.push('POST /convert {"fahrenheit": [98.6, -40]} did not answer [37, -40]');
  return failures;
}

/**
 * @param {unknown} value
 * @returns {unknown[]}
 */
function asArray(value) {
  return Array.isArray(value) ? value : [];
}
