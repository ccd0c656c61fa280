/**
 * `status$` against the real emulator while the engine paces itself and while it backs off: whenever events are
 * waiting (due and held back by the rate budget, or not due until their backoff ends) the engine must say so —
 * `pacing` or `sending`, `backing-off` until the next one is due — not `idle`.
 *
 * Each status is judged for as long as it stood, against the outbox as it was when the status was emitted. Spells
 * of a few ms between two states are tolerated (see {@link FLICKER_MS}); saying `idle` for any real stretch while
 * events wait is not.
 */
import { v3Dialect } from '@hubline/core';
import { type EmulatorOptions, startEmulator } from '@hubline/emulator';
import { expect, it, onTestFinished } from 'vitest';
import type { SyncEngineOptions, SyncState, SyncStatus } from '../src/engine/types.js';
import {
  fastEngineOptions,
  openTempOutbox,
  startRecording,
  type TempOutbox,
  visit,
} from './support/integration.js';

/**
 * The longest `idle` spell tolerated while events wait: the engine passes through `idle` between one state and the
 * next (a request answered and its settlement written, a backoff's end and the retry's claim); on a loaded machine
 * such a step can take tens of ms.
 */
const FLICKER_MS = 250;

/** A status as it stood: from its emission for `lasted` ms, with the outbox's backlog when it was emitted. */
interface Spell {
  readonly status: SyncStatus;
  /** Date.now() at the emission. */
  readonly at: number;
  readonly lasted: number;
  readonly pending: number;
  readonly dueIn: number | null;
}

/**
 * Start the emulator, an outbox and the engine, record `count` events and watch `status$` until they are delivered.
 *
 * @returns every status spell, and how long the whole run took
 */
async function watchStatus(
  emulatorOptions: EmulatorOptions,
  engineOptions: Partial<SyncEngineOptions>,
  count: number,
): Promise<{ spells: Spell[]; tookMs: number; temp: TempOutbox }> {
  const emulator = await startEmulator(emulatorOptions);
  const temp = openTempOutbox();
  const { engine } = startRecording(
    fastEngineOptions(emulator, temp.outbox, v3Dialect, { batchDelayMs: 0, ...engineOptions }),
  );
  onTestFinished(async () => {
    await engine.stop({ timeoutMs: 0 });
    await emulator.stop();
    temp.dispose();
  });
  const emitted: Omit<Spell, 'lasted'>[] = [];
  const subscription = engine.status$.subscribe((status) => {
    const stats = temp.outbox.stats();
    emitted.push({ status, at: Date.now(), pending: stats.pending, dueIn: temp.outbox.nextDueIn() });
  });
  const started = Date.now();
  const ids = temp.outbox.recordMany(Array.from({ length: count }, (_, n) => visit(n)));
  await Promise.all(ids.map((id) => engine.whenDelivered(id)));
  const ended = Date.now();
  subscription.unsubscribe();
  const spells = emitted.map((spell, index) => ({
    ...spell,
    lasted: (emitted[index + 1]?.at ?? ended) - Math.max(spell.at, started),
  }));
  return { spells, tookMs: ended - started, temp };
}

const total = (spells: readonly Spell[]): number => spells.reduce((sum, spell) => sum + spell.lasted, 0);
const inState = (spells: readonly Spell[], state: SyncState): Spell[] =>
  spells.filter((spell) => spell.status.state === state);
/** `idle` spells while events were pending. */
const idleWhileWaiting = (spells: readonly Spell[]): Spell[] =>
  inState(spells, 'idle').filter((spell) => spell.pending > 0);

it('pacing: while due events wait for the rate budget, status$ says pacing (or sending), not idle', {
  timeout: 30_000,
}, async () => {
  // Two requests a second, one event each: eight events take about three seconds, most of it waiting.
  const { spells, tookMs } = await watchStatus(
    {},
    { batchSize: 1, rateLimit: { requests: 2, windowMs: 1000 }, rateLimitMarginMs: 0 },
    8,
  );

  expect(tookMs).toBeGreaterThan(2500);
  const lies = idleWhileWaiting(spells);
  expect(lies.filter((spell) => spell.lasted > FLICKER_MS)).toEqual([]);
  expect(total(lies)).toBeLessThan(tookMs * 0.05);
  expect(total(inState(spells, 'pacing'))).toBeGreaterThan(tookMs * 0.5);
});

it('backoff: while the only event waits for its retry, status$ says backing-off until it is due, not idle', {
  timeout: 30_000,
}, async () => {
  // Three 503s, each followed by a backoff of (almost exactly) 400 ms.
  const { spells, tookMs } = await watchStatus(
    { faults: { sequence: ['error-503', 'error-503', 'error-503'], htmlBodyRate: 0 } },
    { backoff: { baseMs: 400, maxMs: 400 }, random: () => 0.999 },
    1,
  );

  expect(tookMs).toBeGreaterThan(1100);
  const lies = idleWhileWaiting(spells);
  expect(lies.filter((spell) => spell.lasted > FLICKER_MS)).toEqual([]);
  expect(total(lies)).toBeLessThan(tookMs * 0.1);
  const backingOff = inState(spells, 'backing-off');
  expect(total(backingOff)).toBeGreaterThan(tookMs * 0.6);
  for (const spell of backingOff) {
    // `until` is when the event is due again (scheduler time, which reads like Date.now()).
    expect(spell.dueIn).not.toBeNull();
    expect(Math.abs(spell.status.until! - (spell.at + spell.dueIn!))).toBeLessThan(100);
  }
});
