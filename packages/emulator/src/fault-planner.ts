import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import type { FaultKind, FaultOptions } from './types.js';

/** Every fault kind, in the fixed order the cumulative roll walks (changing it changes seeded runs). */
export const faultKinds: readonly FaultKind[] = Object.freeze([
  'error-500',
  'error-502',
  'error-503',
  'error-504',
  'rate-limit-burst',
  'locked-423',
  'migrating-477',
  'reset-before-store',
  'reset-after-store',
  'slow',
]);

/** What happens to one request that reached the fault stage. */
export interface FaultDecision {
  /** The fault to inject, or undefined to let the request through. */
  readonly fault: FaultKind | undefined;
  /** For 5xx faults: answer with an HTML body instead of JSON. */
  readonly html: boolean;
}

/** Resolved fault settings. */
export type ResolvedFaults = Required<Omit<FaultOptions, 'rates' | 'sequence'>> & {
  readonly rates: Readonly<Partial<Record<FaultKind, number>>>;
  readonly sequence: readonly (FaultKind | 'none')[];
};

const defaults: ResolvedFaults = {
  seed: 1,
  latencyMs: 0,
  jitterMs: 0,
  rates: {},
  sequence: [],
  htmlBodyRate: 0.5,
  burstLength: 3,
  retryAfterSeconds: 2,
  slowMs: 30_000,
};

/** Checks fault settings, naming the field at fault. */
function checkFaults(faults: FaultOptions): void {
  for (const [name, value] of Object.entries(faults.rates ?? {})) {
    if (!faultKinds.includes(name as FaultKind))
      throw new TypeError(`faults.rates.${name}: unknown fault kind`);
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new TypeError(`faults.rates.${name}: must be a number in [0, 1]`);
    }
  }
  for (const item of faults.sequence ?? []) {
    if (item !== 'none' && !faultKinds.includes(item))
      throw new TypeError(`faults.sequence: unknown fault kind ${item}`);
  }
  if (faults.seed !== undefined && !Number.isSafeInteger(faults.seed)) {
    throw new TypeError('faults.seed: must be an integer');
  }
  for (const key of [
    'latencyMs',
    'jitterMs',
    'burstLength',
    'retryAfterSeconds',
    'slowMs',
    'htmlBodyRate',
  ] as const) {
    const value = faults[key];
    if (value !== undefined && !(typeof value === 'number' && value >= 0 && Number.isFinite(value))) {
      throw new TypeError(`faults.${key}: must be a finite number >= 0`);
    }
  }
}

/**
 * Decides, request by request, how long to delay it and which fault (if any) to inject. Two streams of one
 * seeded xoroshiro128+ generator (the latency stream is the fault stream jumped far ahead) keep the two
 * apart: every `delayMs()` draws one number from the latency stream, every `next()` exactly two from the
 * fault stream, whatever is decided, so the same seed and the same request sequence always give the same
 * delays and faults, and a request refused before the fault stage (never calling `next()`) changes neither.
 */
export class FaultPlanner {
  #settings: ResolvedFaults;
  #rng: JumpableRandomGenerator;
  #latencyRng: JumpableRandomGenerator;
  #queue: (FaultKind | 'none')[];
  #burstLeft = 0;

  constructor(options: FaultOptions = {}) {
    checkFaults(options);
    this.#settings = {
      ...defaults,
      ...options,
      rates: { ...options.rates },
      sequence: [...(options.sequence ?? [])],
    };
    this.#rng = xoroshiro128plus(this.#settings.seed);
    this.#latencyRng = jumped(this.#rng);
    this.#queue = [...this.#settings.sequence];
  }

  /** The settings in force. */
  get settings(): ResolvedFaults {
    return { ...this.#settings, rates: { ...this.#settings.rates }, sequence: [...this.#queue] };
  }

  /** Merges settings; a given `seed` restarts the generator; a given `sequence` replaces the queue. */
  update(options: FaultOptions): void {
    checkFaults(options);
    const rates = { ...this.#settings.rates, ...options.rates };
    this.#settings = {
      ...this.#settings,
      ...options,
      rates,
      sequence: [...(options.sequence ?? this.#queue)],
    };
    if (options.seed !== undefined) this.restart();
    if (options.sequence !== undefined) this.#queue = [...options.sequence];
  }

  /** Restarts the generator from the seed and ends any 429 burst. */
  restart(): void {
    this.#rng = xoroshiro128plus(this.#settings.seed);
    this.#latencyRng = jumped(this.#rng);
    this.#burstLeft = 0;
  }

  /** The latency of the next timeline request, in milliseconds: `latencyMs` plus jitter in `[0, jitterMs)`. */
  delayMs(): number {
    const jitterRoll = uniformFloat64(this.#latencyRng);
    const s = this.#settings;
    return s.latencyMs + (s.jitterMs > 0 ? Math.floor(jitterRoll * s.jitterMs) : 0);
  }

  /** Decides the fault of the next request that reached the fault stage; takes the next queued fault first. */
  next(): FaultDecision {
    const roll = uniformFloat64(this.#rng);
    const htmlRoll = uniformFloat64(this.#rng);
    const s = this.#settings;
    let fault: FaultKind | undefined;
    const queued = this.#queue.shift();
    if (queued !== undefined) {
      fault = queued === 'none' ? undefined : queued;
      if (fault === 'rate-limit-burst') this.#burstLeft = Math.max(0, s.burstLength - 1);
    } else if (this.#burstLeft > 0) {
      this.#burstLeft -= 1;
      fault = 'rate-limit-burst';
    } else {
      let edge = 0;
      for (const kind of faultKinds) {
        edge += s.rates[kind] ?? 0;
        if (roll < edge) {
          fault = kind;
          break;
        }
      }
      if (fault === 'rate-limit-burst') this.#burstLeft = Math.max(0, s.burstLength - 1);
    }
    return { fault, html: htmlRoll < s.htmlBodyRate };
  }
}

/** A copy of `rng` jumped 2^64 steps ahead: a stream that never meets the original's. */
function jumped(rng: JumpableRandomGenerator): JumpableRandomGenerator {
  const copy = rng.clone();
  copy.jump();
  return copy;
}
