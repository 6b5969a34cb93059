// The services a script can load, by name. The name is the scenario name and the `target` tag,
// so thresholds and reports read per target: http_req_duration{target:converter}.
import { envList, envString } from './env.js';

/** @typedef {'convert' | 'predict' | 'price'} Contract */
/** @typedef {{ name: string, contract: Contract, baseUrl: string }} Target */

/** @type {Record<string, { contract: Contract, urlVar: string, defaultUrl?: string }>} */
const KNOWN = {
  converter: { contract: 'convert', urlVar: 'BASE_URL_CONVERTER', defaultUrl: 'http://127.0.0.1:8080' },
  model: { contract: 'predict', urlVar: 'BASE_URL_MODEL', defaultUrl: 'http://127.0.0.1:8501' },
  price: { contract: 'price', urlVar: 'BASE_URL_PRICE', defaultUrl: 'http://127.0.0.1:8081' },
  go_peer: { contract: 'convert', urlVar: 'BASE_URL_GO_PEER', defaultUrl: 'http://127.0.0.1:8090' },
  python_peer: { contract: 'convert', urlVar: 'BASE_URL_PYTHON_PEER' },
};

// Scenario names and metric-name fragments must stay plain identifiers.
const NAME = /^[a-z][a-z0-9_]{0,31}$/;

/**
 * A target by name. Any other name is a peer with the converter's contract whose URL is
 * BASE_URL_<NAME>, so a new peer needs no code: TARGETS=converter,rust_peer BASE_URL_RUST_PEER=...
 * @param {string} name
 * @returns {Target}
 */
export function target(name) {
  if (!NAME.test(name)) throw new Error(`target name "${name}" must match ${NAME}`);
  const known = KNOWN[name];
  const urlVar = known ? known.urlVar : `BASE_URL_${name.toUpperCase()}`;
  const baseUrl = envString(urlVar, known?.defaultUrl ?? '').replace(/\/+$/, '');
  if (baseUrl === '') throw new Error(`target ${name} needs ${urlVar}`);
  if (!/^https?:\/\/[^/]+/.test(baseUrl)) throw new Error(`${urlVar}=${baseUrl} is not an http(s) URL`);
  return { name, contract: known ? known.contract : 'convert', baseUrl };
}

/**
 * The head-to-head line-up: TARGETS if given, else the converter and the model, plus every
 * known peer whose URL is set.
 * @returns {Target[]}
 */
export function headToHeadTargets() {
  const peers = Object.keys(KNOWN).filter((name) => name.endsWith('_peer') && envString(KNOWN[name]?.urlVar ?? '', '') !== '');
  const names = envList('TARGETS', ['converter', 'model', ...peers]);
  if (new Set(names).size !== names.length) throw new Error(`TARGETS has a duplicate: ${names.join(',')}`);
  return names.map(target);
}
