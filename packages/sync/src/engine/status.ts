import type { EnginePause } from './send-batch.js';
import type { SyncStatus } from './types.js';

/** What the engine's status is derived from, read at one moment. */
export interface StatusFacts {
  /** Scheduler time now. */
  readonly now: number;
  /** Whether the engine has stopped. */
  readonly stopped: boolean;
  /** An offline, unauthorized or forbidden pause, if one holds. */
  readonly pause: EnginePause | undefined;
  /** What `online$` last said. */
  readonly hostOnline: boolean;
  /** Until when the shared rate budget is paused by a 429, or 0. */
  readonly rateLimitedUntil: number;
  /** Why it is paused, for the status. */
  readonly rateLimitReason: string;
  /** Requests on the wire. */
  readonly inFlight: number;
  /** Waits for a slot of the rate budget that did not end at once (work is due). */
  readonly waitingForBudget: number;
  /** Until when pending events wait for their retry time (nothing is due before), or 0. */
  readonly backingOffUntil: number;
}

/**
 * The engine's status, by precedence: stopped, then a pause of the engine's own, then the host's network, then a
 * 429 pause, then sending, then pacing, then backing off, else idle.
 *
 * @param facts - the engine's state at one moment
 */
export function deriveStatus(facts: StatusFacts): SyncStatus {
  const { now, pause } = facts;
  if (facts.stopped) return { state: 'stopped' };
  if (pause !== undefined) return { state: pause.state, reason: pause.reason, until: pause.until };
  if (!facts.hostOnline) return { state: 'offline', reason: 'online$ says the network is down' };
  if (facts.rateLimitedUntil > now) {
    return { state: 'rate-limited', reason: facts.rateLimitReason, until: facts.rateLimitedUntil };
  }
  if (facts.inFlight > 0) return { state: 'sending' };
  if (facts.waitingForBudget > 0) return { state: 'pacing', reason: 'waiting for the rate budget' };
  if (facts.backingOffUntil > now) {
    return { state: 'backing-off', reason: 'retrying failed events', until: facts.backingOffUntil };
  }
  return { state: 'idle' };
}

/** Whether two statuses say the same thing (so `status$` emits only changes). */
export function sameStatus(a: SyncStatus, b: SyncStatus): boolean {
  return a.state === b.state && a.reason === b.reason && a.until === b.until;
}

/** Which account's state speaks for the engine when accounts differ: the busiest first. */
const ENGINE_STATE_ORDER: readonly SyncStatus['state'][] = [
  'sending',
  'pacing',
  'backing-off',
  'rate-limited',
  'unauthorized',
  'forbidden',
  'offline',
  'idle',
];

/**
 * The engine's status from its accounts' (each without what the engine decides for all: stopped, offline): the one
 * account's when there is one, else the busiest state any account is in (sending, then pacing, then backing off,
 * then the pauses), idle when there is none. Each account's own is on `statuses$`.
 *
 * @param statuses - every account's status
 */
export function engineStatusOf(statuses: readonly SyncStatus[]): SyncStatus {
  if (statuses.length === 1) return statuses[0]!;
  for (const state of ENGINE_STATE_ORDER) {
    const found = statuses.find((status) => status.state === state);
    if (found !== undefined) return found;
  }
  return { state: 'idle' };
}
