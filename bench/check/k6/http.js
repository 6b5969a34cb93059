// Stand-in for 'k6/http': synchronous requests with k6's response shape, built-in metrics and tags,
// response callbacks (what counts in http_req_failed) and batch. Only loopback addresses are sent
// to: the stand-in proves scripts against local services and never loads anything else.
import { durationMs } from './duration.js';
import { sendSync } from './sync-http.js';
import { addSample, recordFailure, state } from './state.js';

/** @typedef {import('./sync-http.js').WireRequest} WireRequest */
/** @typedef {import('./sync-http.js').WireResponse} WireResponse */
/** @typedef {{ headers?: Record<string, string>, tags?: Record<string, string>, timeout?: string | number, responseType?: 'text' | 'binary' | 'none', responseCallback?: ExpectedStatuses }} Params */
/** @typedef {{ accepts: (status: number) => boolean }} ExpectedStatuses */
/** @typedef {{ wire: WireRequest, params: Params }} Prepared */

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;
const USER_AGENT = 'k6-stand-in (footprint bench/check)';

/**
 * @param {...(number | { min: number, max: number })} specs
 * @returns {ExpectedStatuses}
 */
export function expectedStatuses(...specs) {
  for (const spec of specs) {
    const ok = typeof spec === 'number' ? Number.isInteger(spec) : Number.isInteger(spec?.min) && Number.isInteger(spec?.max);
    if (!ok) throw new TypeError(`expectedStatuses: ${JSON.stringify(spec)} is neither a status nor {min, max}`);
  }
  return { accepts: (status) => specs.some((s) => (typeof s === 'number' ? status === s : status >= s.min && status <= s.max)) };
}

let defaultCallback = expectedStatuses({ min: 200, max: 399 });

/** @param {ExpectedStatuses} callback */
export function setResponseCallback(callback) {
  defaultCallback = callback;
}

/**
 * @param {string} method
 * @param {string} url
 * @param {unknown} [body]
 * @param {Params | null} [params]
 */
export function request(method, url, body = null, params = null) {
  return send([prepare(method, url, body, params ?? {})])[0];
}

/** @param {string} url @param {Params | null} [params] */
export const get = (url, params) => request('GET', url, null, params);
/** @param {string} url @param {Params | null} [params] */
export const head = (url, params) => request('HEAD', url, null, params);
/** @param {string} url @param {unknown} [body] @param {Params | null} [params] */
export const post = (url, body, params) => request('POST', url, body, params);
/** @param {string} url @param {unknown} [body] @param {Params | null} [params] */
export const put = (url, body, params) => request('PUT', url, body, params);
/** @param {string} url @param {unknown} [body] @param {Params | null} [params] */
export const patch = (url, body, params) => request('PATCH', url, body, params);
/** @param {string} url @param {unknown} [body] @param {Params | null} [params] */
export const del = (url, body, params) => request('DELETE', url, body, params);
/** @param {string} url @param {unknown} [body] @param {Params | null} [params] */
export const options = (url, body, params) => request('OPTIONS', url, body, params);

/**
 * Several requests at once, as an array or an object of them; answers in the same shape.
 * @param {unknown[] | Record<string, unknown>} requests each a URL, [method, url, body?, params?] or {method, url, body?, params?}
 */
export function batch(requests) {
  const entries = Array.isArray(requests) ? requests.map((r, i) => /** @type {[string, unknown]} */ ([String(i), r])) : Object.entries(requests);
  const prepared = entries.map(([, r]) => {
    if (typeof r === 'string') return prepare('GET', r, null, {});
    if (Array.isArray(r)) return prepare(String(r[0]), String(r[1]), r[2] ?? null, r[3] ?? {});
    const o = /** @type {{ method: string, url: string, body?: unknown, params?: Params }} */ (r);
    return prepare(o.method, o.url, o.body ?? null, o.params ?? {});
  });
  const responses = send(prepared);
  if (Array.isArray(requests)) return responses;
  return Object.fromEntries(entries.map(([key], i) => [key, responses[i]]));
}

/**
 * @param {string} method
 * @param {string} url
 * @param {unknown} body
 * @param {Params} params
 * @returns {Prepared}
 */
function prepare(method, url, body, params) {
  if (state.phase === 'init') throw new Error('making HTTP requests in the init context is not supported');
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`unsupported URL scheme: ${url}`);
  if (!LOOPBACK.test(parsed.hostname)) throw new Error(`the stand-in sends only to loopback addresses, not ${parsed.hostname}`);
  /** @type {Record<string, string>} */
  const headers = { 'User-Agent': USER_AGENT, ...params.headers };
  return { wire: { method: method.toUpperCase(), url, headers, body: encodeBody(body, headers), timeoutMs: timeoutMs(params.timeout) }, params };
}

/**
 * k6 sends a string as is, an ArrayBuffer as bytes, and an object as a URL-encoded form.
 * @param {unknown} body
 * @param {Record<string, string>} headers completed with the form's content type
 * @returns {Uint8Array | null}
 */
function encodeBody(body, headers) {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (typeof body === 'object') {
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    return new TextEncoder().encode(new URLSearchParams(/** @type {Record<string, string>} */ (body)).toString());
  }
  throw new TypeError(`unsupported request body: ${typeof body}`);
}

/**
 * @param {string | number | undefined} timeout a Go duration or milliseconds; k6's default is 60s
 * @returns {number}
 */
function timeoutMs(timeout) {
  if (timeout === undefined) return 60000;
  return typeof timeout === 'number' ? timeout : durationMs(timeout);
}

/**
 * @param {Prepared[]} prepared
 */
function send(prepared) {
  const answers = sendSync(prepared.map((p) => p.wire));
  return prepared.map((p, i) => respond(p, /** @type {WireResponse} */ (answers[i])));
}

/**
 * The k6 response object, with the metrics k6 emits for it.
 * @param {Prepared} prepared
 * @param {WireResponse} wire
 */
function respond({ wire: req, params }, wire) {
  const callback = params.responseCallback ?? defaultCallback;
  const expected = wire.status !== 0 && callback.accepts(wire.status);
  const tags = {
    method: req.method, url: req.url, name: req.url, status: String(wire.status), proto: wire.proto,
    expected_response: String(expected), ...(wire.errorCode ? { error_code: String(wire.errorCode) } : {}), ...params.tags,
  };
  const t = wire.timings;
  addSample('http_reqs', 1, tags);
  addSample('http_req_failed', expected ? 0 : 1, tags);
  for (const phase of /** @type {const} */ (['duration', 'blocked', 'connecting', 'tls_handshaking', 'sending', 'waiting', 'receiving'])) {
    addSample(`http_req_${phase}`, t[phase], tags);
  }
  addSample('data_sent', req.body?.length ?? 0, tags);
  addSample('data_received', wire.body.length, tags);
  state.requests.push({ method: req.method, url: req.url, status: wire.status, failed: !expected });
  if (!expected) recordFailure(`request failed: ${req.method} ${req.url} -> ${wire.status}${wire.error ? ` (${wire.error})` : ''}`);
  return new Response(req, params, wire);
}

class Response {
  /**
   * @param {WireRequest} req
   * @param {Params} params
   * @param {WireResponse} wire
   */
  constructor(req, params, wire) {
    const type = params.responseType ?? 'text';
    this.status = wire.status;
    this.status_text = wire.statusText;
    this.proto = wire.proto;
    this.url = req.url;
    this.headers = canonicalHeaders(wire.headers);
    this.body = wire.status === 0 || type === 'none' ? null
      : type === 'binary' ? wire.body.slice().buffer : new TextDecoder().decode(wire.body);
    this.error = wire.error;
    this.error_code = wire.errorCode;
    this.timings = wire.timings;
    this.remote_ip = wire.remoteIp;
    this.remote_port = wire.remotePort;
    this.cookies = {};
    this.tls_version = '';
    this.tls_cipher_suite = '';
    this.request = {
      method: req.method, url: req.url, cookies: {},
      body: req.body === null ? '' : new TextDecoder().decode(req.body),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, [v]])),
    };
  }

  /**
   * The body as JSON; with a selector (a.b.0), the value at that path, as k6's gjson subset does.
   * @param {string} [selector]
   */
  json(selector) {
    if (typeof this.body !== 'string') throw new Error('cannot parse json: the response has no text body');
    /** @type {unknown} */
    let value = JSON.parse(this.body);
    for (const key of selector ? selector.split('.') : []) {
      value = value !== null && typeof value === 'object' ? /** @type {Record<string, unknown>} */ (value)[key] : undefined;
    }
    return value;
  }
}

/**
 * Header names as k6 (Go) gives them, Content-Type; repeated headers joined with ", ".
 * @param {[string, string][]} pairs
 * @returns {Record<string, string>}
 */
function canonicalHeaders(pairs) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const [name, value] of pairs) {
    const key = name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash, c) => dash + c.toUpperCase());
    out[key] = out[key] === undefined ? value : `${out[key]}, ${value}`;
  }
  return out;
}

export default { request, get, head, post, put, patch, del, options, batch, expectedStatuses, setResponseCallback };
