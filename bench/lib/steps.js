// Per-step results of the staircase profiles. k6's end-of-test summary only aggregates whole
// metrics, so each (target, step) gets its own pair of metrics, created while the script
// initialises as k6 requires: step_<target>_<label>_ms (latency) and step_<target>_<label>_ok
// (requests whose checks all passed). A request belongs to the step whose hold window it
// started in; requests during the ramps between steps are left out.
import exec from 'k6/execution';
import { Rate, Trend } from 'k6/metrics';

/** @typedef {import('./profiles.js').Step} Step */
/** @typedef {{ step: Step, latency: Trend, ok: Rate }} StepMetrics */

/**
 * @param {Step[]} steps
 * @param {string[]} targetNames
 */
export function stepRecorder(steps, targetNames) {
  /** @type {Record<string, StepMetrics[]>} */
  const byTarget = {};
  for (const name of targetNames) {
    byTarget[name] = steps.map((step) => ({
      step,
      latency: new Trend(`step_${name}_${step.label}_ms`, true),
      ok: new Rate(`step_${name}_${step.label}_ok`),
    }));
  }
  return {
    /**
     * @param {string} targetName
     * @param {number} startedAtMs when the request started (Date.now())
     * @param {number} durationMs its http_req_duration
     * @param {boolean} ok whether its checks passed
     */
    record(targetName, startedAtMs, durationMs, ok) {
      const atS = (startedAtMs - exec.scenario.startTime) / 1000;
      const current = (byTarget[targetName] ?? []).find(({ step }) => atS >= step.fromS && atS < step.toS);
      if (current === undefined) return;
      current.latency.add(durationMs);
      current.ok.add(ok);
    },
  };
}
