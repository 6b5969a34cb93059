// A local server that answers every contract almost right, to prove that the scripts' checks bite:
// a Celsius value off by 1e-7 (the converter's tolerance is 1e-9), a prediction off by 1e-3 (the
// model's is 1e-4), a price with a trailing zero (49.50 for 49.5), an app_id that is not 8 hex
// digits. run-all.mjs expects each script to fail on it, naming those checks.
import http from 'node:http';

/**
 * @returns {Promise<{ url: string, close: () => void }>}
 */
export async function startLiar() {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => answer(req.method ?? '', new URL(req.url ?? '/', 'http://liar'), body, res));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { url: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}

/**
 * @param {string} method
 * @param {URL} url
 * @param {string} body
 * @param {http.ServerResponse} res
 */
function answer(method, url, body, res) {
  const json = (/** @type {number} */ status, /** @type {string} */ text) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(text);
  const celsius = (/** @type {number} */ f) => ((f - 32) * 5) / 9;
  const priceText = (/** @type {string} */ id) => ({ P123: '19.990', P124: '49.50' })[id];
  if (method === 'POST' && url.pathname === '/convert') {
    const f = JSON.parse(body).fahrenheit;
    const c = Array.isArray(f) ? f.map((v) => celsius(v) * (1 + 1e-7)) : celsius(f) * (1 + 1e-7);
    return json(200, JSON.stringify({ celsius: c, app_id: 'not-hex!' }));
  }
  if (method === 'POST' && /^\/v1\/models\/[^/]+:predict$/.test(url.pathname)) {
    const request = JSON.parse(body);
    const inputs = [request.instances ?? request.inputs].flat();
    const out = inputs.map((f) => celsius(f) * (1 + 1e-3));
    return json(200, JSON.stringify(request.instances ? { predictions: out } : { outputs: out }));
  }
  const id = url.pathname.startsWith('/prices/') ? url.pathname.slice('/prices/'.length) : url.searchParams.get('product_id') ?? '';
  const price = priceText(id);
  if (url.pathname === '/price') {
    return price ? res.writeHead(200, { 'Content-Type': 'text/plain' }).end(price) : res.writeHead(404).end();
  }
  if (url.pathname.startsWith('/prices/')) {
    return price ? json(200, `{"productId":"${id}","price":${price},"currency":"USD"}`) : json(404, '{"error":"unknown product"}');
  }
  return json(404, '{"error":"not found"}');
}
