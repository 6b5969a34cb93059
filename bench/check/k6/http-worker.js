// The asynchronous half of the stand-in's synchronous HTTP: this worker thread sends the requests
// with node:http, measures k6's timing phases, posts the answers back and wakes the blocked caller.
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { workerData } from 'node:worker_threads';

/** @typedef {import('./sync-http.js').WireRequest} WireRequest */
/** @typedef {import('./sync-http.js').WireResponse} WireResponse */

const { signal, port } = /** @type {{ signal: Int32Array, port: import('node:worker_threads').MessagePort }} */ (workerData);

// One keep-alive pool, as a k6 VU reuses its connections between iterations.
const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

port.on('message', async (/** @type {WireRequest[]} */ requests) => {
  const responses = await Promise.all(requests.map(send));
  port.postMessage(responses);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});

/**
 * @param {WireRequest} request
 * @returns {Promise<WireResponse>}
 */
function send(request) {
  const url = new URL(request.url);
  const client = url.protocol === 'https:' ? https : http;
  const started = performance.now();
  const marks = { start: started, socket: started, connected: started, sent: started, firstByte: started };
  return new Promise((resolve) => {
    /** @param {string} error @param {number} code */
    const failed = (error, code) => resolve({
      status: 0, statusText: '', proto: '', headers: [], body: new Uint8Array(), error, errorCode: code,
      remoteIp: '', remotePort: 0, timings: timings(marks, performance.now()),
    });
    const req = client.request(url, {
      method: request.method,
      headers: request.headers,
      agent: agents[/** @type {'http:' | 'https:'} */ (url.protocol)],
    });
    const timer = setTimeout(() => req.destroy(Object.assign(new Error('request timeout'), { code: 'K6_TIMEOUT' })), request.timeoutMs);
    req.on('socket', (socket) => {
      marks.socket = performance.now();
      marks.connected = marks.socket;
      if (socket.connecting) socket.once('connect', () => { marks.connected = performance.now(); });
    });
    req.on('finish', () => { marks.sent = performance.now(); });
    req.on('error', (/** @type {NodeJS.ErrnoException} */ err) => {
      clearTimeout(timer);
      failed(...describe(err, url));
    });
    req.on('response', (res) => {
      marks.firstByte = performance.now();
      /** @type {Buffer[]} */
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('error', (err) => { clearTimeout(timer); failed(...describe(err, url)); });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          statusText: `${res.statusCode} ${res.statusMessage ?? ''}`.trim(),
          proto: `HTTP/${res.httpVersion}`,
          headers: pairs(res.rawHeaders),
          body: new Uint8Array(Buffer.concat(chunks)),
          error: '',
          errorCode: 0,
          remoteIp: res.socket?.remoteAddress ?? '',
          remotePort: res.socket?.remotePort ?? 0,
          timings: timings(marks, performance.now()),
        });
      });
    });
    req.end(request.body === null ? undefined : Buffer.from(request.body));
  });
}

/**
 * k6's phases: blocked (waiting for a connection), connecting, sending, waiting (to the first
 * byte), receiving; duration is sending + waiting + receiving.
 * @param {{ start: number, socket: number, connected: number, sent: number, firstByte: number }} m
 * @param {number} end
 */
function timings(m, end) {
  const sending = Math.max(0, m.sent - m.connected);
  const waiting = Math.max(0, m.firstByte - m.sent);
  const receiving = Math.max(0, end - m.firstByte);
  return {
    blocked: Math.max(0, m.socket - m.start), connecting: Math.max(0, m.connected - m.socket), tls_handshaking: 0,
    sending, waiting, receiving, duration: sending + waiting + receiving,
  };
}

/**
 * k6's error text and code for the failures a local run meets.
 * @param {NodeJS.ErrnoException} err
 * @param {URL} url
 * @returns {[string, number]}
 */
function describe(err, url) {
  const address = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  switch (err.code) {
    case 'ECONNREFUSED': return [`dial tcp ${address}: connect: connection refused`, 1212];
    case 'ECONNRESET': return [`read tcp ${address}: read: connection reset by peer`, 1220];
    case 'K6_TIMEOUT': return ['request timeout', 1050];
    default: return [err.message, 1000];
  }
}

/**
 * @param {string[]} raw alternating names and values
 * @returns {[string, string][]}
 */
function pairs(raw) {
  /** @type {[string, string][]} */
  const out = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] ?? '', raw[i + 1] ?? '']);
  return out;
}
