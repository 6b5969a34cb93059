// The prices the price service must answer, exactly as decimal text ("49.5" stays "49.5", "120.00"
// stays "120.00"), with their currency. From PRICES (P123=19.99,P130=15.75:EUR) or PRICES_FILE (the
// service's own format: `id,price[,currency]` a line, # comments), defaulting to a few lines of
// price-service/prices.txt, the sample list it serves out of the box.
import { envList, envString } from './env.js';

/** @typedef {{ price: string, currency: string }} Expected */

const SAMPLE = 'P123=19.99,P124=49.5,P127=120.00,P130=15.75:EUR';
const DECIMAL = /^\d+(\.\d+)?$/;
const CURRENCY = /^[A-Z]{3}$/;
// The currency of lines that name none, as the service's PRICES_CURRENCY.
const DEFAULT_CURRENCY = envString('CURRENCY', 'USD');

// open() is only callable while the script initialises, so the file is read here, once; a relative
// path is taken from the bench/ folder.
const FILE = envString('PRICES_FILE', '');
const FILE_TEXT = FILE === '' ? '' : open(FILE.startsWith('/') ? FILE : import.meta.resolve(`../${FILE}`));

/** id -> expected answer */
export const EXPECTED_PRICES = FILE === '' ? fromPairs(envString('PRICES', SAMPLE)) : fromFile(FILE_TEXT);

/** The ids the load asks for, each with an expected price. */
const PRODUCT_IDS = envList('PRODUCT_IDS', Object.keys(EXPECTED_PRICES));
for (const id of PRODUCT_IDS) {
  if (EXPECTED_PRICES[id] === undefined) throw new Error(`PRODUCT_IDS: ${id} has no expected price (PRICES or PRICES_FILE)`);
}
if (PRODUCT_IDS.length === 0) throw new Error('PRODUCT_IDS is empty');

/** An id in the allowed format that no list holds, for the 404 answers. */
export const UNKNOWN_PRODUCT_ID = envString('UNKNOWN_PRODUCT_ID', 'NO-SUCH-PRODUCT-404');
if (EXPECTED_PRICES[UNKNOWN_PRODUCT_ID] !== undefined) throw new Error(`UNKNOWN_PRODUCT_ID ${UNKNOWN_PRODUCT_ID} is in the list`);

/** @returns {string} */
export function randomProductId() {
  return PRODUCT_IDS[Math.floor(Math.random() * PRODUCT_IDS.length)] ?? '';
}

/**
 * @param {string} text "P123=19.99,P130=15.75:EUR"
 * @returns {Record<string, Expected>}
 */
function fromPairs(text) {
  return toMap(text.split(',').map((pair) => {
    const [id = '', value = ''] = pair.split('=');
    return [id, ...value.split(':')];
  }), 'PRICES');
}

/**
 * @param {string} text lines "P123,19.99" or "P130,15.75,EUR"; blank lines and # comments skipped
 * @returns {Record<string, Expected>}
 */
function fromFile(text) {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  return toMap(lines.map((line) => line.split(',')), `PRICES_FILE ${FILE}`);
}

/**
 * @param {string[][]} rows [id, price, currency?]
 * @param {string} source
 * @returns {Record<string, Expected>}
 */
function toMap(rows, source) {
  /** @type {Record<string, Expected>} */
  const map = {};
  for (const row of rows) {
    const [id = '', price = '', currency = DEFAULT_CURRENCY] = row.map((cell) => cell.trim());
    if (row.length < 2 || row.length > 3 || id === '' || !DECIMAL.test(price) || !CURRENCY.test(currency)) {
      throw new Error(`${source}: "${row.join(',')}" is not an id, a decimal price and an optional currency`);
    }
    map[id] = { price, currency };
  }
  return map;
}
