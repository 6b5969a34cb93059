// The self-contained HTML report: inline CSS and inline SVG charts, no script, no remote asset,
// so it can be opened from a CI artifact or a laptop without a network.
import { formatMs, formatPercent, formatRate } from './format.js';
import { barChart, escapeXml, lineChart } from './svg.js';

/** @typedef {import('./report-model.js').ReportModel} ReportModel */
/** @typedef {import('./report-model.js').StepRow} StepRow */

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#111827;margin:0;background:#f9fafb}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#4b5563}.ok{color:#15803d;font-weight:600}.bad{color:#b91c1c;font-weight:600}
table{border-collapse:collapse;width:100%;background:#fff;font-variant-numeric:tabular-nums}
th,td{padding:5px 8px;border-bottom:1px solid #e5e7eb;text-align:right}th{background:#f3f4f6}
th:first-child,td:first-child{text-align:left}
figure{margin:16px 0;background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:8px;max-width:760px}
figcaption{font-weight:600;margin:0 0 4px 4px}
table.text th,table.text td{text-align:left}
code{font-size:13px}`;

/**
 * @param {ReportModel} model
 * @returns {string}
 */
export function htmlReport(model) {
  const failed = model.thresholds.filter((t) => !t.ok).length;
  const verdict = failed === 0
    ? `<span class="ok">all ${model.thresholds.length} thresholds passed</span>`
    : `<span class="bad">${failed} of ${model.thresholds.length} thresholds failed</span>`;
  const title = `${model.script}.js · ${model.profile}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeXml(title)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${escapeXml(title)}</h1>
<p class="meta">${escapeXml(model.profileSummary)} · ${model.durationS.toFixed(1)} s · ${escapeXml(model.generatedAt)} · ${verdict}</p>
<h2>Targets</h2>
${targetsTable(model)}
${barChart({
    title: 'Latency percentiles (ms)',
    unit: 'ms',
    categories: model.targets.map((t) => t.name),
    series: [['p50', 'med'], ['p90', 'p90'], ['p95', 'p95'], ['p99', 'p99']].map(([name, key]) => ({
      name: name ?? '',
      values: model.targets.map((t) => t.ms[/** @type {'med' | 'p90' | 'p95' | 'p99'} */ (key)]),
    })),
  })}
${barChart({ title: 'Throughput (requests/s)', unit: '/s', categories: model.targets.map((t) => t.name), series: [{ name: 'requests/s', values: model.targets.map((t) => t.rps) }] })}
${stepsSection(model)}
<h2>Thresholds</h2>
${table(['metric', 'threshold', 'result'], model.thresholds.map((t) => [escapeXml(t.metric), `<code>${escapeXml(t.expression)}</code>`, t.ok ? '<span class="ok">passed</span>' : '<span class="bad">failed</span>']), 'text')}
<h2>Checks</h2>
${table(['check', 'passed', 'failed'], model.checks.map((c) => [escapeXml(c.name), String(c.passes), c.fails > 0 ? `<span class="bad">${c.fails}</span>` : '0']))}
</main></body></html>
`;
}

/**
 * @param {ReportModel} model
 * @returns {string}
 */
function targetsTable(model) {
  return table(
    ['target', 'requests', 'req/s', 'p50 ms', 'p90 ms', 'p95 ms', 'p99 ms', 'max ms', 'failed', 'checks', 'thresholds'],
    model.targets.map((t) => [
      `${escapeXml(t.name)}<br><small class="meta">${escapeXml(t.baseUrl)}</small>`,
      String(t.requests), formatRate(t.rps), formatMs(t.ms.med), formatMs(t.ms.p90), formatMs(t.ms.p95),
      formatMs(t.ms.p99), formatMs(t.ms.max), formatPercent(t.failedRate), formatPercent(t.checkRate),
      t.thresholdsOk ? '<span class="ok">ok</span>' : '<span class="bad">failed</span>',
    ]),
  );
}

/**
 * The staircase profiles: latency and achieved rate against offered rate, and the knee.
 * @param {ReportModel} model
 * @returns {string}
 */
function stepsSection(model) {
  const entries = Object.entries(model.steps);
  if (entries.length === 0) return '';
  /** @param {StepRow[]} rows */
  const climbing = (rows) => rows.filter((row) => row.label !== 'recovery');
  const rule = model.kneeRule;
  const knees = entries.map(([name]) => [escapeXml(name), escapeXml(model.knees[name]?.text ?? '-')]);
  const stepTables = entries.map(([name, rows]) => `<h3>${escapeXml(name)}</h3>${table(
    ['step', 'offered /s', 'achieved /s', 'requests', 'p50 ms', 'p99 ms', 'answers ok'],
    rows.map((r) => [escapeXml(r.label), String(r.rate), formatRate(r.achievedRps), String(r.requests), formatMs(r.p50), formatMs(r.p99), formatPercent(r.okRate)]),
  )}`);
  return `<h2>Steps and knee</h2>
<p class="meta">Knee: the highest step before the first one whose p99 exceeds ${rule.p99Ms} ms, whose answers are less than ${formatPercent(rule.minOkRate)} right, or whose achieved rate is below ${formatPercent(rule.minAchieved)} of the offered rate.</p>
${table(['target', 'knee'], knees, 'text')}
${lineChart({
    title: 'p99 latency against offered rate',
    xLabel: 'offered requests/s',
    yLabel: 'p99 ms',
    series: entries.map(([name, rows]) => ({ name, points: climbing(rows).flatMap((r) => (r.p99 === null ? [] : [/** @type {[number, number]} */ ([r.rate, r.p99])])) })),
  })}
${lineChart({
    title: 'Achieved against offered rate',
    xLabel: 'offered requests/s',
    yLabel: 'achieved requests/s',
    series: entries.map(([name, rows]) => ({ name, points: climbing(rows).map((r) => /** @type {[number, number]} */ ([r.rate, r.achievedRps])) })),
  })}
${stepTables.join('\n')}`;
}

/**
 * @param {string[]} headers
 * @param {string[][]} rows cells already escaped
 * @param {string} [className] 'text' aligns every column left
 * @returns {string}
 */
function table(headers, rows, className) {
  const head = headers.map((h) => `<th>${escapeXml(h)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('\n');
  return `<table${className ? ` class="${className}"` : ''}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
