// TensorFlow Serving's REST predict API on model-serving: row format {"instances": [f, ...]} answers
// {"predictions": [c, ...]}, columnar {"inputs": f} answers {"outputs": c}. A prediction may come as
// a number or as a one-element list, depending on the model's output shape: both are accepted.
import http from 'k6/http';
import { check } from 'k6';
import { envString } from './env.js';
import { BATCH, jsonParams } from './request.js';
import { FLOAT32_TOLERANCE, allCelsius, field, jsonBody, randomFahrenheits } from './verify.js';

/** @typedef {import('./targets.js').Target} Target */
/** @typedef {import('k6/http').Response} Response */
/** @typedef {'row' | 'columnar'} Format */

const MODEL_NAME = envString('MODEL_NAME', 'model');
const FORMAT = modelFormat(envString('MODEL_FORMAT', 'row'));

/**
 * One request with random input, its answer checked.
 * @param {Target} target
 * @param {number[]} [fahrenheits] the inputs; BATCH random values by default
 * @param {Format} [format]
 * @returns {{ res: Response, ok: boolean }}
 */
export function predict(target, fahrenheits = randomFahrenheits(BATCH), format = FORMAT) {
  const url = `${target.baseUrl}/v1/models/${encodeURIComponent(MODEL_NAME)}:predict`;
  const single = fahrenheits.length === 1;
  const request = format === 'row' ? { instances: fahrenheits } : { inputs: single ? fahrenheits[0] : fahrenheits };
  const res = http.post(url, JSON.stringify(request), jsonParams(target, `POST /v1/models/${MODEL_NAME}:predict`));
  const answer = jsonBody(res);
  const ok = check(res, {
    [`${target.name}: status 200`]: (r) => r.status === 200,
    [`${target.name}: celsius correct (${format})`]: () => allCelsius(predictions(answer, format), fahrenheits, FLOAT32_TOLERANCE),
  }, { target: target.name });
  return { res, ok };
}

/**
 * Known answers in both formats before the load starts: 212 °F is 100 °C.
 * @param {Target} target
 * @returns {string[]} what failed
 */
export function preflightPredict(target) {
  const failures = [];
  if (!predict(target, [212], 'row').ok) failures.push(`{"instances": [212]} to model ${MODEL_NAME} did not answer 100`);
  if (!predict(target, [212], 'columnar').ok) failures.push(`{"inputs": 212} to model ${MODEL_NAME} did not answer 100`);
  return failures;
}

/**
 * The predicted values, one number per input, or [] when the answer has another shape.
 * @param {unknown} answer
 * @param {Format} format
 * @returns {unknown[]}
 */
function predictions(answer, format) {
  const raw = field(answer, format === 'row' ? 'predictions' : 'outputs');
  if (typeof raw === 'number') return [raw];
  if (!Array.isArray(raw)) return [];
  return raw.map((item) => (Array.isArray(item) && item.length === 1 ? item[0] : item));
}

/**
 * @param {string} value
 * @returns {Format}
 */
function modelFormat(value) {
  if (value === 'row' || value === 'columnar') return value;
  throw new Error(`MODEL_FORMAT=${value}: use row or columnar`);
}
