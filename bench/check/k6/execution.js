// Stand-in for 'k6/execution': what the runner says about the current scenario and VU. As in k6,
// scenario and VU information exist only while a VU runs an iteration.
import { state } from './state.js';

function running() {
  if (state.phase !== 'vu' || state.scenario === null) {
    throw new Error('getting scenario or VU information outside of the VU context is not supported');
  }
  return state.scenario;
}

export const scenario = {
  get name() { return running().name; },
  get executor() { return running().executor; },
  get startTime() { return running().startTime; },
  get progress() { return 0; },
  get iterationInInstance() { return running().iterations; },
  get iterationInTest() { return running().iterations; },
};

export const vu = {
  get idInInstance() { running(); return state.vu.id; },
  get idInTest() { running(); return state.vu.id; },
  get iterationInInstance() { running(); return state.vu.iteration; },
  get iterationInScenario() { return running().iterations; },
  get tags() { return { ...running().tags }; },
  get metrics() { return { tags: { ...running().tags }, metadata: {} }; },
};

export const instance = {
  get iterationsCompleted() { return state.metrics.get('iterations')?.samples.length ?? 0; },
  get iterationsInterrupted() { return 0; },
  get vusActive() { return state.phase === 'vu' ? 1 : 0; },
  get vusInitialized() { return 1; },
  get currentTestRunDuration() { return Date.now() - state.startedAt; },
};

/** Thrown by test.abort(); the runner reports it as an aborted test. */
export class AbortTest extends Error {}

export const test = {
  /** @param {string} [reason] */
  abort(reason = '') { throw new AbortTest(`test aborted: ${reason}`); },
  /** @param {string} [reason] */
  fail(reason = '') { state.failures.push(`test marked failed: ${reason}`); },
  get options() { return state.options; },
};

export default { scenario, vu, instance, test };
