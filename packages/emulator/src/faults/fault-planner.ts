import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import {
  apiFaultKinds,
  checkFaults,
  defaultFaults,
  type ResolvedFaults,
  tokenFaultKinds,
} from './fault-settings.js';
import type { ApiFaultKind, FaultOptions, TokenFaultKind } from './fault-types.js';

/** What happens to one request that reached the fault stage. */
export interface FaultDecision<K extends string = ApiFaultKind> {
  /** The fault to inject, or undefined to let the request through. */
  readonly fault: K | undefined;
  /** For 5xx faults: answer with an HTML body instead of JSON. */
  readonly html: boolean;
}

/** The cumulative roll: the first kind whose running sum of rates passes `roll`. */
function pick<K extends string>(
  roll: number,
  kinds: readonly K[],
  rates: Readonly<Partial<Record<K, number>>>,
): K | undefined {
  let edge = 0;
  for (const kind of kinds) {
    edge += rates[kind] ?? 0;
    if (roll < edge) return kind;
  }
  return undefined;
}

/**
 * Decides, request by request, how long to delay it and which fault (if any) to inject. Three streams of one
 * seeded xoroshiro128+ generator (the latency stream is the fault stream jumped far ahead, the token stream
 * jumped twice) keep them apart: every `delayMs()` draws one number from the latency stream, every `next()`
 * exactly two from the fault stream and every `nextToken()` two from the token stream, whatever is decided. So
 * the same seed and the same request sequence always give the same delays and faults, and a request refused
 * before the fault stage (never calling `next()`) changes neither.
 */
export class FaultPlanner {
  #settings: ResolvedFaults;
  #rng: JumpableRandomGenerator;
  #latencyRng: JumpableRandomGenerator;
  #tokenRng: JumpableRandomGenerator;
  #queue: (ApiFaultKind | 'none')[];
  #tokenQueue: (TokenFaultKind | 'none')[];
  #burstLeft = 0;

  /**
   * A planner whose PRNGs start from `options.seed`.
   *
   * @param options - the fault settings; absent ones take {@link defaultFaults}.
   * @throws TypeError naming the setting (`faults.…`) when a fault kind is unknown, a rate is outside [0, 1], or a
   *   length or a delay is negative or not a number.
   */
  constructor(options: FaultOptions = {}) {
    checkFaults(options);
    this.#settings = {
      ...defaultFaults,
      ...options,
      rates: { ...options.rates },
      sequence: [...(options.sequence ?? [])],
      tokenRates: { ...options.tokenRates },
      tokenSequence: [...(options.tokenSequence ?? [])],
    };
    this.#rng = xoroshiro128plus(this.#settings.seed);
    this.#latencyRng = jumped(this.#rng);
    this.#tokenRng = jumped(this.#latencyRng);
    this.#queue = [...this.#settings.sequence];
    this.#tokenQueue = [...this.#settings.tokenSequence];
  }

  /** The settings in force (`sequence` and `tokenSequence`: what is left of the queues). */
  get settings(): ResolvedFaults {
    return {
      ...this.#settings,
      rates: { ...this.#settings.rates },
      sequence: [...this.#queue],
      tokenRates: { ...this.#settings.tokenRates },
      tokenSequence: [...this.#tokenQueue],
    };
  }

  /** Merges settings; a given `seed` restarts the generator; a given sequence replaces its queue. */
  update(options: FaultOptions): void {
    checkFaults(options);
    this.#settings = {
      ...this.#settings,
      ...options,
      rates: { ...this.#settings.rates, ...options.rates },
      sequence: [...(options.sequence ?? this.#queue)],
      tokenRates: { ...this.#settings.tokenRates, ...options.tokenRates },
      tokenSequence: [...(options.tokenSequence ?? this.#tokenQueue)],
    };
    if (options.seed !== undefined) this.restart();
    if (options.sequence !== undefined) this.#queue = [...options.sequence];
    if (options.tokenSequence !== undefined) this.#tokenQueue = [...options.tokenSequence];
  }

  /** Restarts the generator from the seed and ends any 429 burst. */
  restart(): void {
    this.#rng = xoroshiro128plus(this.#settings.seed);
    this.#latencyRng = jumped(this.#rng);
    this.#tokenRng = jumped(this.#latencyRng);
    this.#burstLeft = 0;
  }

  /** The latency of the next API request, in milliseconds: `latencyMs` plus jitter in `[0, jitterMs)`. */
  delayMs(): number {
    const jitterRoll = uniformFloat64(this.#latencyRng);
    const s = this.#settings;
    return s.latencyMs + (s.jitterMs > 0 ? Math.floor(jitterRoll * s.jitterMs) : 0);
  }

  /** Decides the fault of the next API request that reached the fault stage; takes the next queued fault first. */
  next(): FaultDecision {
    const roll = uniformFloat64(this.#rng);
    const htmlRoll = uniformFloat64(this.#rng);
    const s = this.#settings;
    let fault: ApiFaultKind | undefined;
    const queued = this.#queue.shift();
    if (queued !== undefined) {
      fault = queued === 'none' ? undefined : queued;
    } else if (this.#burstLeft > 0) {
      this.#burstLeft -= 1;
      return { fault: 'rate-limit-burst', html: htmlRoll < s.htmlBodyRate };
    } else {
      fault = pick(roll, apiFaultKinds, s.rates);
    }
    if (fault === 'rate-limit-burst') this.#burstLeft = Math.max(0, s.burstLength - 1);
    return { fault, html: htmlRoll < s.htmlBodyRate };
  }

  /** Decides the fault of the next `POST /oauth/v1/token` request; takes the next queued one first. */
  nextToken(): FaultDecision<TokenFaultKind> {
    const roll = uniformFloat64(this.#tokenRng);
    const htmlRoll = uniformFloat64(this.#tokenRng);
    const s = this.#settings;
    const queued = this.#tokenQueue.shift();
    const fault =
      queued !== undefined
        ? queued === 'none'
          ? undefined
          : queued
        : pick(roll, tokenFaultKinds, s.tokenRates);
    return { fault, html: htmlRoll < s.htmlBodyRate };
  }
}

/** A copy of `rng` jumped 2^64 steps ahead: a stream that never meets the original's. */
function jumped(rng: JumpableRandomGenerator): JumpableRandomGenerator {
  const copy = rng.clone();
  copy.jump();
  return copy;
}
