// Answer checks shared by the contracts. None of them throws: a malformed answer is a failed
// check that shows in the report, not an aborted iteration.

/** @typedef {import('k6/http').Response} Response */

export const APP_ID = /^[0-9a-f]{8}$/;

/** Relative tolerances: the converter computes in double precision, the model in float32. */
export const DOUBLE_TOLERANCE = 1e-9;
export const FLOAT32_TOLERANCE = 1e-4;

/**
 * @param {number} fahrenheit
 * @returns {number}
 */
function celsius(fahrenheit) {
  return ((fahrenheit - 32) * 5) / 9;
}

/**
 * A temperature between -100 °F and 400 °F with a fractional part, so no answer is a lucky constant.
 * @returns {number}
 */
function randomFahrenheit() {
  return Math.round((Math.random() * 500 - 100) * 1000) / 1000;
}

/**
 * @param {number} count
 * @returns {number[]}
 */
export function randomFahrenheits(count) {
  /** @type {number[]} */
  const values = [];
  for (let i = 0; i < count; i++) values.push(randomFahrenheit());
  return values;
}

/**
 * |actual - expected| within `tolerance` relative to |expected|, or absolute below 1 so that
 * answers near 0 °C (32 °F) are not held to an impossible relative bound.
 * @param {unknown} actual
 * @param {number} expected
 * @param {number} tolerance
 * @returns {boolean}
 */
function closeTo(actual, expected, tolerance) {
  return typeof actual === 'number' && Number.isFinite(actual)
    && Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));
}

/**
 * Each value of `actual` close to the Celsius of the matching Fahrenheit input.
 * @param {unknown[]} actual
 * @param {number[]} fahrenheits
 * @param {number} tolerance
 * @returns {boolean}
 */
export function allCelsius(actual, fahrenheits, tolerance) {
  return actual.length === fahrenheits.length
    && fahrenheits.every((f, i) => closeTo(actual[i], celsius(f), tolerance));
}

/**
 * The body parsed as JSON, or undefined when it is missing or not JSON.
 * @param {Response} res
 * @returns {unknown}
 */
export function jsonBody(res) {
  if (typeof res.body !== 'string' || res.body === '') return undefined;
  try {
    return JSON.parse(res.body);
  } catch (_) {
    return undefined;
  }
}

/**
 * A property of a JSON object, or undefined for anything that is not an object.
 * @param {unknown} value
 * @param {string} key
 * @returns {unknown}
 */
export function field(value, key) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return /** @type {Record<string, unknown>} */ (value)[key];
}

/**
 * @param {Response} res
 * @returns {string}
 */
export function contentType(res) {
  return (res.headers['Content-Type'] ?? '').toLowerCase();
}

/**
 * True when the answer is a JSON error object, as every service answers a client mistake.
 * @param {Response} res
 * @returns {boolean}
 */
export function isJsonError(res) {
  return typeof field(jsonBody(res), 'error') === 'string';
}
