// Load profiles, chosen by PROFILE. Each yields one scenario shape (copied for every target, so all
// targets get the same load), the pass/fail limits, and for the knee-finding profiles the hold
// windows of each rate step, which the report turns into latency-against-rate curves.
import { durationSeconds, envDuration, envNumber, envNumberList, envString } from './env.js';

/** @typedef {'smoke' | 'seed' | 'ramp' | 'soak' | 'stress'} ProfileName */
/** @typedef {import('k6/options').Scenario} Scenario */
/** @typedef {{ label: string, rate: number, fromS: number, toS: number }} Step a hold window, seconds from scenario start */
/**
 * @typedef {object} Limits thresholds applied per target
 * @property {number} maxErrorRate
 * @property {number} minCheckRate
 * @property {number} p95Ms
 * @property {number} p99Ms
 * @property {number | null} maxDropped iterations an arrival-rate scenario may fail to start; null: not judged
 */
/**
 * @typedef {object} Plan
 * @property {ProfileName} name
 * @property {string} summary one line for reports
 * @property {Scenario} scenario without exec and tags, which depend on the target
 * @property {number} sleepSeconds think time after each request (the seed profile's sleep(1))
 * @property {Step[]} steps empty unless the profile climbs through rates
 * @property {Limits} limits
 */

export const PROFILES = /** @type {const} */ (['smoke', 'seed', 'ramp', 'soak', 'stress']);

/**
 * The plan of PROFILE (default smoke).
 * @returns {Plan}
 */
export function profilePlan() {
  const name = envString('PROFILE', 'smoke');
  switch (name) {
    case 'smoke': return smoke();
    case 'seed': return seed();
    case 'ramp': return ramp();
    case 'soak': return soak();
    case 'stress': return stress();
    default: throw new Error(`PROFILE=${name}: use one of ${PROFILES.join(', ')}`);
  }
}

/** A few seconds at a low constant rate with a few VUs: does every request get a right answer? */
function smoke() {
  const rate = envNumber('RATE', 5, { min: 1, integer: true });
  const duration = envDuration('DURATION', '10s');
  return plan('smoke', `${rate} requests/s per target for ${duration}`, {
    executor: 'constant-arrival-rate', rate, timeUnit: '1s', duration, ...arrivalVUs(2, 4),
  }, limits({ maxErrorRate: 0, minCheckRate: 1, p95Ms: 500, p99Ms: 1000, maxDropped: 0 }));
}

/**
 * The original price-service k6 test, unchanged: 0 to 100 users over 2 minutes, 100 for 5 minutes,
 * down to 0 over 2 minutes, each user one request then sleep(1). Not configurable, so its numbers
 * stay comparable with the published ones (104.5 requests/s, p95 4.16 ms).
 */
function seed() {
  return {
    ...plan('seed', 'ramping-vus 0 to 100 over 2m, hold 5m, down over 2m; one request then sleep(1)', {
      executor: 'ramping-vus', startVUs: 0, gracefulRampDown: '30s',
      stages: [{ duration: '2m', target: 100 }, { duration: '5m', target: 100 }, { duration: '2m', target: 0 }],
    }, limits({ maxErrorRate: 0.01, minCheckRate: 0.99, p95Ms: 200, p99Ms: 1000, maxDropped: null })),
    sleepSeconds: 1,
  };
}

/** Arrival rate climbing a staircase; the step where latency or errors break away is the knee. */
function ramp() {
  const rates = envNumberList('RAMP_RATES', [100, 250, 500, 1000, 1500, 2000, 3000, 4000, 6000, 8000]);
  return staircase('ramp', rates, null, 500, { maxErrorRate: 0.05, minCheckRate: 0.95, p95Ms: 1000, p99Ms: 2000, maxDropped: null });
}

/** A long steady rate: leaks, GC pauses and slow drifts show here. */
function soak() {
  const rate = envNumber('RATE', 200, { min: 1, integer: true });
  const duration = envDuration('DURATION', '30m');
  return plan('soak', `${rate} requests/s per target for ${duration}`, {
    executor: 'constant-arrival-rate', rate, timeUnit: '1s', duration, ...arrivalVUs(20, 500),
  }, limits({ maxErrorRate: 0.001, minCheckRate: 0.999, p95Ms: 50, p99Ms: 200, maxDropped: 0 }));
}

/**
 * Past saturation, then back to a low rate: overload must be answered (503 with Retry-After, not
 * time-outs) and the service must recover; the recovery step shows whether it does.
 */
function stress() {
  const rates = envNumberList('STRESS_RATES', [2000, 5000, 10000, 20000]);
  const recovery = envNumber('RECOVERY_RATE', 100, { min: 1, integer: true });
  return staircase('stress', rates, recovery, 1000, { maxErrorRate: 0.5, minCheckRate: 0.5, p95Ms: 5000, p99Ms: 10000, maxDropped: null });
}

/**
 * A ramping-arrival-rate staircase: ramp to each rate over STEP_RAMP, hold it for STEP_HOLD.
 * @param {ProfileName} name
 * @param {number[]} rates
 * @param {number | null} recoveryRate a last step back down at this rate, or none
 * @param {number} maxVUs default MAX_VUS
 * @param {Limits} defaults
 * @returns {Plan}
 */
function staircase(name, rates, recoveryRate, maxVUs, defaults) {
  const rampFor = envDuration('STEP_RAMP', '10s');
  const holdFor = envDuration('STEP_HOLD', '30s');
  const rampS = durationSeconds(rampFor);
  const holdS = durationSeconds(holdFor);
  const levels = rates.map((rate) => ({ label: `r${rate}`, rate }));
  if (recoveryRate !== null) levels.push({ label: 'recovery', rate: recoveryRate });
  /** @type {{ duration: string, target: number }[]} */
  const stages = [];
  /** @type {Step[]} */
  const steps = [];
  let at = 0;
  for (const level of levels) {
    stages.push({ duration: rampFor, target: level.rate }, { duration: holdFor, target: level.rate });
    steps.push({ ...level, fromS: at + rampS, toS: at + rampS + holdS });
    at += rampS + holdS;
  }
  const recovery = recoveryRate === null ? '' : `, then ${recoveryRate}/s to recover`;
  return {
    ...plan(name, `arrival rate ${rates.join(', ')}/s per target, each held ${holdFor} after a ${rampFor} ramp${recovery}`, {
      executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', stages, ...arrivalVUs(50, maxVUs),
    }, limits(defaults)),
    steps,
  };
}

/**
 * VUs of an arrival-rate scenario: VUS started up front, up to MAX_VUS when answers slow down
 * (never fewer than VUS, which k6 would refuse).
 * @param {number} preAllocated
 * @param {number} max
 * @returns {{ preAllocatedVUs: number, maxVUs: number }}
 */
function arrivalVUs(preAllocated, max) {
  const preAllocatedVUs = envNumber('VUS', preAllocated, { min: 1, integer: true });
  return { preAllocatedVUs, maxVUs: Math.max(preAllocatedVUs, envNumber('MAX_VUS', max, { min: 1, integer: true })) };
}

/**
 * @param {ProfileName} name
 * @param {string} summary
 * @param {Scenario} scenario
 * @param {Limits} profileLimits
 * @returns {Plan}
 */
function plan(name, summary, scenario, profileLimits) {
  return { name, summary, scenario, sleepSeconds: 0, steps: [], limits: profileLimits };
}

/**
 * The profile's limits, each overridable: MAX_ERROR_RATE, MIN_CHECK_RATE, P95_MS, P99_MS, MAX_DROPPED.
 * @param {Limits} defaults
 * @returns {Limits}
 */
function limits(defaults) {
  return {
    maxErrorRate: envNumber('MAX_ERROR_RATE', defaults.maxErrorRate, { min: 0 }),
    minCheckRate: envNumber('MIN_CHECK_RATE', defaults.minCheckRate, { min: 0 }),
    p95Ms: envNumber('P95_MS', defaults.p95Ms, { min: 0 }),
    p99Ms: envNumber('P99_MS', defaults.p99Ms, { min: 0 }),
    maxDropped: defaults.maxDropped === null ? null : envNumber('MAX_DROPPED', defaults.maxDropped, { min: 0, integer: true }),
  };
}
