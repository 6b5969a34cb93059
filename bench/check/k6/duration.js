// Go duration strings as k6 reads them (500ms, 30s, 2m, 1h30m), in milliseconds.
const PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
const UNIT_MS = /** @type {Record<string, number>} */ ({ ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 });

/**
 * @param {string} text
 * @returns {number}
 */
export function durationMs(text) {
  const parts = [...text.matchAll(PART)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) throw new Error(`"${text}" is not a duration such as 30s or 1m30s`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2] ?? ''] ?? 0), 0);
}
