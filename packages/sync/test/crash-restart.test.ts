/**
 * A real engine process is SIGKILLed while its request is on the wire (the emulator holds it with a slow fault), and
 * a new engine process is started on the same outbox file: the events the dead one held are delivered within
 * seconds — not after `leaseMs` — and exactly once, even when the dead process's request lands later.
 */
import { defaultAccessToken, startEmulator } from '@hubline/emulator';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type ChildEngine, startChildEngine } from './support/child-engine.js';
import { openTempOutbox, storedById, until, visit } from './support/integration.js';

/** The defaults a real deployment has: a 30 s timeout, so a lease of 150 s. */
const TUNING = { requestTimeoutMs: 30_000, rateLimit: false } as const;
/** The killed process's request reaches HubSpot and is stored this long after it arrived. */
const SLOW_MS = 4000;
/** How soon the new process must deliver what the dead one held. */
const WITHIN_MS = 5000;

describe.each(['v3', '2026-03'] as const)('an engine process killed mid-request (%s)', (dialect) => {
  it('a new process on the same file resumes its events within seconds, exactly once', {
    timeout: 40_000,
  }, async () => {
    const emulator = await startEmulator({ faults: { sequence: ['slow'], slowMs: SLOW_MS } });
    const temp = openTempOutbox();
    const children: ChildEngine[] = [];
    onTestFinished(async () => {
      await Promise.all(children.map((child) => child.kill()));
      await emulator.stop();
      temp.dispose();
    });
    const ids = temp.outbox.recordMany([1, 2, 3, 4, 5].map((n) => visit(n)));
    const start = (owner: string): ChildEngine => {
      const child = startChildEngine({
        path: temp.path,
        baseUrl: emulator.url,
        dialect,
        owner,
        accessToken: defaultAccessToken,
        engine: TUNING,
      });
      children.push(child);
      return child;
    };

    const first = start('first-process');
    await first.until((lines) => lines.includes('sending'));
    await until(() => emulator.requests().length > 0, 10_000, 'the request to reach the emulator');
    await first.kill();
    // Everything the dead process claimed is still leased to it, for the next 150 s.
    expect(temp.outbox.stats()).toMatchObject({ inFlight: ids.length, delivered: 0 });

    const second = start('second-process');
    // Timed from the new engine's start, not from the spawn: booting node and tsx is not the engine's doing.
    await second.until((lines) => lines.includes('ready'));
    const restartedAt = Date.now();
    await until(
      () => temp.outbox.stats().delivered === ids.length,
      WITHIN_MS + 10_000,
      'the restart to deliver',
    );
    const tookMs = Date.now() - restartedAt;
    // The dead process's request lands now, after the restart delivered: a duplicate HubSpot refuses, not a copy.
    await until(
      () => emulator.requests().every((request) => request.durationMs !== undefined),
      SLOW_MS + 5000,
      'the dead process’s request to land',
    );
    await second.stop();

    expect(tookMs).toBeLessThan(WITHIN_MS);
    const stored = storedById(emulator);
    expect(ids.map((id) => stored.get(id)?.length ?? 0)).toEqual(ids.map(() => 1));
    expect(emulator.counters().duplicateIdsSeen).toBe(ids.length);
    for (const id of ids) {
      const expired = temp.outbox.history(id).find(({ event }) => event.type === 'LeaseExpired');
      expect(expired?.event).toMatchObject({ owner: 'first-process', ownerGone: true });
      expect(temp.outbox.get(id)).toMatchObject({ status: 'delivered', attempts: 0 });
    }
  });
});
