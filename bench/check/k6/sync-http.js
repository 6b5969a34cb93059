// k6's HTTP API is synchronous: http.get() returns the response. Node's is not, so the requests go
// to a worker thread and this thread blocks on Atomics.wait until the worker has posted the answers,
// which are then taken off the port synchronously with receiveMessageOnPort.
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';

/**
 * @typedef {object} WireRequest
 * @property {string} method
 * @property {string} url
 * @property {Record<string, string>} headers
 * @property {Uint8Array | null} body
 * @property {number} timeoutMs
 */
/**
 * @typedef {object} WireResponse
 * @property {number} status 0 when no answer came
 * @property {string} statusText
 * @property {string} proto
 * @property {[string, string][]} headers as received
 * @property {Uint8Array} body
 * @property {string} error
 * @property {number} errorCode
 * @property {string} remoteIp
 * @property {number} remotePort
 * @property {{ blocked: number, connecting: number, tls_handshaking: number, sending: number, waiting: number, receiving: number, duration: number }} timings
 */

const signal = new Int32Array(new SharedArrayBuffer(4));
const { port1, port2 } = new MessageChannel();
const worker = new Worker(new URL('./http-worker.js', import.meta.url), {
  workerData: { signal, port: port2 },
  transferList: [port2],
});
// The worker must not keep the process alive once the script is done.
worker.unref();
port1.unref();

/**
 * Sends the requests concurrently (http.batch sends several) and blocks until all have answered.
 * @param {WireRequest[]} requests
 * @returns {WireResponse[]}
 */
export function sendSync(requests) {
  const longest = Math.max(...requests.map((r) => r.timeoutMs));
  Atomics.store(signal, 0, 0);
  port1.postMessage(requests);
  // The worker enforces each timeout; this bound only catches a worker that died.
  if (Atomics.wait(signal, 0, 0, longest + 5000) === 'timed-out') throw new Error('stand-in HTTP worker did not answer');
  const message = receiveMessageOnPort(port1);
  if (message === undefined) throw new Error('stand-in HTTP worker woke without an answer');
  return /** @type {WireResponse[]} */ (message.message);
}

/**
 * k6's sleep(): blocks the thread, as it blocks a VU.
 * @param {number} ms
 */
export function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
