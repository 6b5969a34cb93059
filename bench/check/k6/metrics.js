// Stand-in for 'k6/metrics': custom metrics, created only while the script initialises and fed
// only after, as k6 enforces.
import { addSample, registerMetric, state } from './state.js';

/** @typedef {import('./state.js').MetricType} MetricType */

class Metric {
  /**
   * @param {string} name
   * @param {MetricType} type
   * @param {boolean} isTime
   */
  constructor(name, type, isTime) {
    if (state.phase !== 'init') throw new Error(`metric "${name}" must be created in the init context`);
    registerMetric(name, type, isTime ? 'time' : 'default');
    this.name = name;
  }

  /**
   * @param {number | boolean} value
   * @param {Record<string, string>} [tags]
   */
  add(value, tags = {}) {
    if (state.phase === 'init') throw new Error(`metric "${this.name}" cannot be fed in the init context`);
    const number = typeof value === 'boolean' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) throw new TypeError(`metric "${this.name}": ${String(value)} is not a number`);
    for (const [key, tag] of Object.entries(tags)) {
      if (typeof tag !== 'string') throw new TypeError(`metric "${this.name}": tag ${key} is not a string`);
    }
    addSample(this.name, number, tags);
  }
}

export class Counter extends Metric {
  /** @param {string} name */
  constructor(name) { super(name, 'counter', false); }
}

export class Gauge extends Metric {
  /** @param {string} name @param {boolean} [isTime] */
  constructor(name, isTime = false) { super(name, 'gauge', isTime); }
}

export class Rate extends Metric {
  /** @param {string} name */
  constructor(name) { super(name, 'rate', false); }
}

export class Trend extends Metric {
  /** @param {string} name @param {boolean} [isTime] */
  constructor(name, isTime = false) { super(name, 'trend', isTime); }
}

export default { Counter, Gauge, Rate, Trend };
