// Small inline-SVG charts for the HTML report: grouped bars and lines. Drawn here, at summary time,
// so the report is one self-contained file that opens offline, with no script and no CDN.

const WIDTH = 720;
const HEIGHT = 280;
const PAD = { left: 64, right: 32, top: 36, bottom: 56 };
const PALETTE = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#4b5563'];

/**
 * @param {string} text
 * @returns {string}
 */
export function escapeXml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Grouped vertical bars: one group per category, one bar per series.
 * @param {{ title: string, unit: string, categories: string[], series: { name: string, values: (number | null)[] }[] }} chart
 * @returns {string}
 */
export function barChart(chart) {
  const values = chart.series.flatMap((s) => s.values).filter(isNumber);
  const axis = linearAxis(0, Math.max(0, ...values));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const groupW = plotW / Math.max(1, chart.categories.length);
  const barW = Math.min(48, (groupW * 0.8) / Math.max(1, chart.series.length));
  const y = (/** @type {number} */ v) => PAD.top + plotH - axis.scale(v) * plotH;
  const bars = chart.categories.flatMap((category, ci) => {
    const x0 = PAD.left + ci * groupW + (groupW - barW * chart.series.length) / 2;
    return chart.series.map((s, si) => {
      const v = s.values[ci];
      if (!isNumber(v)) return '';
      const x = x0 + si * barW;
      return `<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(PAD.top + plotH - y(v)).toFixed(1)}" fill="${color(si)}"><title>${escapeXml(`${category} ${s.name}: ${round(v)} ${chart.unit}`)}</title></rect>`;
    });
  });
  const labels = chart.categories.map((category, ci) => text(PAD.left + (ci + 0.5) * groupW, HEIGHT - PAD.bottom + 18, category, 'middle'));
  return frame(chart.title, [yGrid(axis, y, chart.unit), ...bars, ...labels, legend(chart.series.map((s) => s.name))]);
}

/**
 * Lines through points, with log axes where the data spans decades (rates and latencies do).
 * @param {{ title: string, xLabel: string, yLabel: string, series: { name: string, points: [number, number][] }[] }} chart
 * @returns {string}
 */
export function lineChart(chart) {
  const xs = chart.series.flatMap((s) => s.points.map((p) => p[0])).filter((v) => v > 0);
  const ys = chart.series.flatMap((s) => s.points.map((p) => p[1])).filter((v) => v > 0);
  const xAxis = autoAxis(xs);
  const yAxis = autoAxis(ys);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (/** @type {number} */ v) => PAD.left + xAxis.scale(v) * plotW;
  const y = (/** @type {number} */ v) => PAD.top + plotH - yAxis.scale(v) * plotH;
  const lines = chart.series.map((s, si) => {
    const points = s.points.filter((p) => p[0] > 0 && p[1] > 0);
    const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ');
    const dots = points.map((p) => `<circle cx="${x(p[0]).toFixed(1)}" cy="${y(p[1]).toFixed(1)}" r="3" fill="${color(si)}"><title>${escapeXml(`${s.name}: ${round(p[0])}, ${round(p[1])}`)}</title></circle>`);
    return `<path d="${path}" fill="none" stroke="${color(si)}" stroke-width="2"/>${dots.join('')}`;
  });
  const xTicks = xAxis.ticks.map((t) => `<line x1="${x(t)}" y1="${PAD.top}" x2="${x(t)}" y2="${PAD.top + plotH}" stroke="#e5e7eb"/>${text(x(t), PAD.top + plotH + 16, round(t), 'middle')}`);
  const titles = [
    text(PAD.left + plotW / 2, HEIGHT - 14, chart.xLabel, 'middle'),
    `<text x="14" y="${PAD.top + plotH / 2}" transform="rotate(-90 14 ${PAD.top + plotH / 2})" text-anchor="middle" font-size="12" fill="#374151">${escapeXml(chart.yLabel)}</text>`,
  ];
  return frame(chart.title, [yGrid(yAxis, y, ''), ...xTicks, ...lines, ...titles, legend(chart.series.map((s) => s.name))]);
}

/** @typedef {{ ticks: number[], scale: (v: number) => number }} Axis maps a value to 0..1 */

/**
 * @param {number[]} values all > 0
 * @returns {Axis}
 */
function autoAxis(values) {
  const min = Math.min(...values);
  const max = Math.max(...values);
  return values.length > 0 && max / min >= 20 ? logAxis(min, max) : linearAxis(0, values.length > 0 ? max : 1);
}

/**
 * @param {number} min
 * @param {number} max
 * @returns {Axis}
 */
function linearAxis(min, max) {
  const span = max > min ? max - min : 1;
  const raw = span / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? magnitude * 10;
  const top = Math.ceil(max / step) * step || step;
  const ticks = [];
  for (let t = min; t <= top + step / 2; t += step) ticks.push(t);
  return { ticks, scale: (v) => (v - min) / (top - min) };
}

/**
 * @param {number} min
 * @param {number} max
 * @returns {Axis}
 */
function logAxis(min, max) {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const ticks = [];
  for (let e = lo; e <= hi; e++) for (const m of hi - lo <= 3 ? [1, 2, 5] : [1]) ticks.push(m * 10 ** e);
  return { ticks: ticks.filter((t) => t <= 10 ** hi), scale: (v) => (Math.log10(v) - lo) / (hi - lo || 1) };
}

/**
 * @param {Axis} axis
 * @param {(v: number) => number} y
 * @param {string} unit
 * @returns {string}
 */
function yGrid(axis, y, unit) {
  return axis.ticks.map((t) => `<line x1="${PAD.left}" y1="${y(t).toFixed(1)}" x2="${WIDTH - PAD.right}" y2="${y(t).toFixed(1)}" stroke="#e5e7eb"/>${text(PAD.left - 6, y(t) + 4, `${round(t)}${unit === '' ? '' : ` ${unit}`}`, 'end')}`).join('');
}

/**
 * @param {string[]} names
 * @returns {string}
 */
function legend(names) {
  return names.map((name, i) => {
    const x = PAD.left + i * 120;
    return `<rect x="${x}" y="${PAD.top - 22}" width="12" height="12" fill="${color(i)}"/>${text(x + 16, PAD.top - 12, name, 'start')}`;
  }).join('');
}

/**
 * @param {string} title
 * @param {string[]} parts
 * @returns {string}
 */
function frame(title, parts) {
  return `<figure><figcaption>${escapeXml(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-label="${escapeXml(title)}">${parts.join('')}</svg></figure>`;
}

/**
 * @param {number} x
 * @param {number} y
 * @param {string} content
 * @param {'start' | 'middle' | 'end'} anchor
 * @returns {string}
 */
function text(x, y, content, anchor) {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${anchor}" font-size="12" fill="#374151">${escapeXml(content)}</text>`;
}

/**
 * @param {number} i
 * @returns {string}
 */
function color(i) {
  return PALETTE[i % PALETTE.length] ?? '#000';
}

/**
 * @param {number} v
 * @returns {string}
 */
function round(v) {
  return Math.abs(v) >= 100 ? v.toFixed(0) : String(Number(v.toPrecision(3)));
}

/**
 * @param {unknown} v
 * @returns {v is number}
 */
function isNumber(v) {
  return typeof v === 'number' && Number.isFinite(v);
}
