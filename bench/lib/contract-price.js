// price-service's contracts, chosen by PRICE_API:
// - rest (default): GET /prices/{id} answers {"productId", "price", "currency"}, the price an exact
//   decimal JSON number;
// - legacy: the Flask service's GET /price?product_id=ID answers the price as plain text, 404 with an
//   empty body for an unknown id; the original k6 test used it;
// - lookup: POST /prices/lookup {"productIds": [...]} answers {"prices": [found, in request order],
//   "notFound": [ids]}; each request asks LOOKUP_SIZE known ids and one unknown.
import http from 'k6/http';
import { check } from 'k6';
import { envNumber, envString } from './env.js';
import { params } from './request.js';
import { EXPECTED_PRICES, UNKNOWN_PRODUCT_ID, randomProductId } from './prices.js';
import { contentType, field, isJsonError, jsonBody } from './verify.js';

/** @typedef {import('./targets.js').Target} Target */
/** @typedef {import('k6/http').Response} Response */
/** @typedef {'rest' | 'legacy' | 'lookup'} PriceApi */

const API = priceApi(envString('PRICE_API', 'rest'));
const LOOKUP_SIZE = envNumber('LOOKUP_SIZE', 10, { min: 1, integer: true });

// One answer object, and its fields as the service wrote them: parsing the price to a double would
// hide 49.50 for 49.5 or 1.2E2 for 120.
const OBJECT = /\{[^{}]*\}/g;
const RAW = {
  productId: /"productId"\s*:\s*"([^"]*)"/,
  price: /"price"\s*:\s*(-?[0-9][0-9.eE+-]*)/,
  currency: /"currency"\s*:\s*"([^"]*)"/,
};

/**
 * One request for random known ids, its answer checked.
 * @param {Target} target
 * @param {PriceApi} [api] the seed profile passes 'legacy', as the original test used it
 * @param {string} [id]
 * @returns {{ res: Response, ok: boolean }}
 */
export function price(target, api = API, id = randomProductId()) {
  if (api === 'lookup') return lookup(target);
  const expected = EXPECTED_PRICES[id];
  if (api === 'legacy') {
    const res = http.get(`${target.baseUrl}/price?product_id=${id}`, params(target, 'GET /price'));
    const ok = check(res, {
      [`${target.name}: status 200`]: (r) => r.status === 200,
      [`${target.name}: plain-text price exact`]: (r) => r.body === expected?.price,
      [`${target.name}: text/plain`]: (r) => contentType(r).startsWith('text/plain'),
    }, { target: target.name });
    return { res, ok };
  }
  const res = http.get(`${target.baseUrl}/prices/${id}`, params(target, 'GET /prices/{id}'));
  const ok = check(res, {
    [`${target.name}: status 200`]: (r) => r.status === 200,
    [`${target.name}: JSON price exact`]: (r) => sameEntry(typeof r.body === 'string' ? r.body : '', id),
  }, { target: target.name });
  return { res, ok };
}

/**
 * @param {Target} target
 * @returns {{ res: Response, ok: boolean }}
 */
function lookup(target) {
  /** @type {string[]} */
  const ids = [];
  for (let i = 0; i < LOOKUP_SIZE; i++) ids.push(randomProductId());
  const asked = [...ids, UNKNOWN_PRODUCT_ID];
  const res = http.post(`${target.baseUrl}/prices/lookup`, JSON.stringify({ productIds: asked }),
    params(target, 'POST /prices/lookup', { headers: { 'Content-Type': 'application/json' } }));
  const body = typeof res.body === 'string' ? res.body : '';
  const found = body.slice(0, body.indexOf('"notFound"')).match(OBJECT) ?? [];
  const notFound = field(jsonBody(res), 'notFound');
  const ok = check(res, {
    [`${target.name}: status 200`]: (r) => r.status === 200,
    [`${target.name}: lookup prices exact, in order`]: () => found.length === ids.length && ids.every((id, i) => sameEntry(found[i] ?? '', id)),
    [`${target.name}: lookup notFound lists the unknown id`]: () => JSON.stringify(notFound) === JSON.stringify([UNKNOWN_PRODUCT_ID]),
  }, { target: target.name });
  return { res, ok };
}

/**
 * Known answers in every API, and the 404 of each for an unknown id, before the load starts.
 * @param {Target} target
 * @returns {string[]} what failed
 */
export function preflightPrice(target) {
  const failures = [];
  const id = randomProductId();
  const expected = JSON.stringify(EXPECTED_PRICES[id]);
  if (!price(target, 'rest', id).ok) failures.push(`GET /prices/${id} did not answer ${expected}`);
  if (!price(target, 'legacy', id).ok) failures.push(`GET /price?product_id=${id} did not answer ${expected}`);
  if (!price(target, 'lookup').ok) failures.push('POST /prices/lookup did not answer the expected prices and notFound');
  const notFound = params(target, 'not found', { responseCallback: http.expectedStatuses(404) });
  const rest = http.get(`${target.baseUrl}/prices/${UNKNOWN_PRODUCT_ID}`, notFound);
  const legacy = http.get(`${target.baseUrl}/price?product_id=${UNKNOWN_PRODUCT_ID}`, notFound);
  const restOk = check(rest, {
    [`${target.name}: unknown id is 404 with a JSON error`]: (r) => r.status === 404 && isJsonError(r),
  }, { target: target.name });
  const legacyOk = check(legacy, {
    [`${target.name}: unknown id is 404 with an empty body (legacy)`]: (r) => r.status === 404 && r.body === '',
  }, { target: target.name });
  if (!restOk) failures.push(`GET /prices/${UNKNOWN_PRODUCT_ID} is not a 404 with {"error": ...}`);
  if (!legacyOk) failures.push(`GET /price?product_id=${UNKNOWN_PRODUCT_ID} is not a 404 with an empty body`);
  return failures;
}

/**
 * Whether a JSON object's text holds exactly the expected id, price text and currency.
 * @param {string} text
 * @param {string} id
 * @returns {boolean}
 */
function sameEntry(text, id) {
  const expected = EXPECTED_PRICES[id];
  return expected !== undefined
    && RAW.productId.exec(text)?.[1] === id
    && RAW.price.exec(text)?.[1] === expected.price
    && RAW.currency.exec(text)?.[1] === expected.currency;
}

/**
 * @param {string} value
 * @returns {PriceApi}
 */
function priceApi(value) {
  if (value === 'rest' || value === 'legacy' || value === 'lookup') return value;
  throw new Error(`PRICE_API=${value}: use rest, legacy or lookup`);
}
