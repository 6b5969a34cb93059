// The short text summary printed on stdout at the end of a run.
import { formatMs, formatPercent, formatRate, padLeft, padRight } from './format.js';

/** @typedef {import('./report-model.js').ReportModel} ReportModel */

/**
 * @param {ReportModel} model
 * @param {string[]} files written by handleSummary
 * @returns {string}
 */
export function textReport(model, files) {
  const failed = model.thresholds.filter((t) => !t.ok);
  const lines = [
    '',
    `${model.script}.js · profile ${model.profile} (${model.profileSummary}) · ${model.durationS.toFixed(1)} s`,
    '',
    ['target', 'requests', 'req/s', 'p50 ms', 'p90 ms', 'p95 ms', 'p99 ms', 'max ms', 'failed', 'checks', 'thresholds']
      .map((h, i) => (i === 0 ? padRight(h, 14) : padLeft(h, 11))).join(''),
    ...model.targets.map((t) => [
      padRight(t.name, 14),
      ...[String(t.requests), formatRate(t.rps), formatMs(t.ms.med), formatMs(t.ms.p90), formatMs(t.ms.p95),
        formatMs(t.ms.p99), formatMs(t.ms.max), formatPercent(t.failedRate), formatPercent(t.checkRate),
        t.thresholdsOk ? 'ok' : 'FAILED'].map((cell) => padLeft(cell, 11)),
    ].join('')),
  ];
  const knees = Object.entries(model.knees);
  if (knees.length > 0) {
    const rule = model.kneeRule;
    lines.push('', `knee (p99 <= ${rule.p99Ms} ms, answers ok >= ${formatPercent(rule.minOkRate)}, achieved >= ${formatPercent(rule.minAchieved)} of the offered rate):`);
    for (const [name, knee] of knees) lines.push(`  ${padRight(name, 14)}${knee.text}`);
  }
  const failedChecks = model.checks.filter((c) => c.fails > 0);
  if (failedChecks.length > 0) {
    lines.push('', 'checks that failed:');
    for (const c of failedChecks) lines.push(`  ${c.name}: ${c.fails} of ${c.passes + c.fails}`);
  }
  lines.push('', failed.length === 0
    ? `thresholds: all ${model.thresholds.length} passed`
    : `thresholds: ${failed.length} of ${model.thresholds.length} FAILED: ${failed.map((t) => `${t.metric} ${t.expression}`).join('; ')}`);
  for (const file of files) lines.push(`written: ${file}`);
  return `${lines.join('\n')}\n`;
}
