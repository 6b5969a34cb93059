// handleSummary() for every script: a JSON summary and a self-contained HTML report under
// bench/results/ (or RESULTS_DIR), and a short text summary on stdout.
import { envString } from './env.js';
import { htmlReport } from './report-html.js';
import { reportModel } from './report-model.js';
import { textReport } from './report-text.js';

/** @typedef {import('./report-model.js').SummaryData} SummaryData */
/** @typedef {import('./profiles.js').Plan} Plan */
/** @typedef {import('./targets.js').Target} Target */

// k6 resolves a relative output path from its working directory; an absolute path to bench/results
// puts the files in the same place wherever k6 was started. In a cluster, set RESULTS_DIR.
const RESULTS_DIR = envString('RESULTS_DIR', localPath(import.meta.resolve('../results'))).replace(/\/+$/, '');

/**
 * @param {string} script the script's name without .js
 * @param {Plan} plan
 * @param {Target[]} targets
 * @param {SummaryData} data k6's end-of-test data
 * @returns {Record<string, string>} output name (stdout or a file path) -> content
 */
export function summarize(script, plan, targets, data) {
  const generatedAt = new Date().toISOString();
  // RESULTS_PREFIX names the pair of files outright, so a harness knows where they land.
  const name = envString('RESULTS_PREFIX', `${script}-${plan.name}-${generatedAt.replace(/[-:]|\.\d+/g, '')}`);
  const json = `${RESULTS_DIR}/${name}.json`;
  const html = `${RESULTS_DIR}/${name}.html`;
  const model = reportModel(data, { script, plan, targets, generatedAt });
  return {
    stdout: textReport(model, [html, json]),
    [json]: `${JSON.stringify({ report: model, k6: data }, null, 2)}\n`,
    [html]: htmlReport(model),
  };
}

/**
 * The filesystem path of a file: URL, or bench/results relative to the working directory when the
 * script was not loaded from a file.
 * @param {string} url
 * @returns {string}
 */
function localPath(url) {
  return url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : 'bench/results';
}
