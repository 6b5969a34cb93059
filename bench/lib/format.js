// Number formats shared by the text and HTML reports.

/**
 * Milliseconds with precision that suits the size: 0.412, 12.4, 1450.
 * @param {number | null} ms
 * @returns {string}
 */
export function formatMs(ms) {
  if (ms === null || !Number.isFinite(ms)) return '-';
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

/**
 * @param {number | null} rate 0..1
 * @returns {string}
 */
export function formatPercent(rate) {
  if (rate === null || !Number.isFinite(rate)) return '-';
  return `${(rate * 100).toFixed(rate === 0 || rate === 1 ? 0 : 2)}%`;
}

/**
 * @param {number} value
 * @returns {string}
 */
export function formatRate(value) {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/**
 * @param {string} text
 * @param {number} width
 * @returns {string}
 */
export function padLeft(text, width) {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

/**
 * @param {string} text
 * @param {number} width
 * @returns {string}
 */
export function padRight(text, width) {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}
