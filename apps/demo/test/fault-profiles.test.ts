import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemo, type Demo } from '../src/demo/create-demo.js';
import type { DemoResult } from '../src/demo/demo-result.js';
import type { FaultProfileName } from '../src/faults/fault-profiles.js';

const folders: string[] = [];
const demos: Demo[] = [];

afterEach(async () => {
  for (const demo of demos.splice(0)) await demo.shutdown({ drainTimeoutMs: 1000 });
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

interface ProfileRun {
  readonly result: DemoResult;
  /** Every engine state a snapshot showed. */
  readonly states: ReadonlySet<string>;
  /** The largest backlog (pending + in flight) a snapshot showed. */
  readonly peakBacklog: number;
}

/**
 * The demo's own loop, in-process, at the default rate of 100 events/s with a quick outage schedule: record
 * `events`, stop the kiosks, and wait until the backlog is zero (the outage schedule keeps running meanwhile).
 */
async function runProfile(faults: FaultProfileName, seed: number, events: number): Promise<ProfileRun> {
  const folder = mkdtempSync(join(tmpdir(), `hubline-profile-${faults}-`));
  folders.push(folder);
  const demo = await createDemo({
    devices: 4,
    rate: 100,
    faults,
    db: join(folder, 'd.db'),
    drops: true,
    phases: [
      { online: true, ms: 2000 },
      { online: false, ms: 600 },
    ],
    seed,
    target: { kind: 'emulator' },
    sampleMs: 100,
  });
  demos.push(demo);
  const states = new Set<string>();
  let peakBacklog = 0;
  demo.snapshot$.subscribe((snapshot) => {
    states.add(snapshot.status.state);
    peakBacklog = Math.max(peakBacklog, snapshot.pending + snapshot.inFlight);
  });
  demo.start();
  await expect
    .poll(() => demo.snapshot().recorded, { timeout: 20_000, interval: 50 })
    .toBeGreaterThanOrEqual(events);
  demo.setRecording(false);
  await expect
    .poll(
      () => {
        const snapshot = demo.snapshot();
        return snapshot.pending + snapshot.inFlight;
      },
      { timeout: 45_000, interval: 100 },
    )
    .toBe(0);
  const result = await demo.shutdown({ drainTimeoutMs: 1000 });
  return { result, states, peakBacklog };
}

describe('the fault profiles, against the emulator at the default rate', () => {
  it('calm: HubSpot injects no fault and answers no 429', async () => {
    const { result } = await runProfile('calm', 1, 200);
    expect(result.emulator).toMatchObject({ faultsInjected: 0, rateLimited: 0, serverErrors: 0, resets: 0 });
    // Retries are possible even so: a request on the wire when the schedule cuts the network is lost.
    expect(result.engine.rateLimited).toBe(0);
    expect(result.outbox).toMatchObject({ dead: 0, delivered: result.recorded });
  }, 60_000);

  it('flaky: some requests fail and are retried, and everything arrives once', async () => {
    const { result } = await runProfile('flaky', 7, 400);
    expect(result.emulator?.faultsInjected ?? 0).toBeGreaterThan(0);
    expect(result.engine.retries).toBeGreaterThan(0);
    expect(result.outbox.delivered + result.outbox.dead).toBe(result.recorded);
    expect(result.emulator?.idsStoredMoreThanOnce).toBe(0);
  }, 60_000);

  it('storm: 5xx, resets, a 429 pause and a backlog, and it still drains to zero once recording stops', async () => {
    const { result, states, peakBacklog } = await runProfile('storm', 3, 400);
    // What the user is told storm shows: failures, retries, 429 pacing, a backlog, and the recovery.
    expect(result.emulator?.serverErrors ?? 0).toBeGreaterThan(0);
    expect(result.emulator?.resets ?? 0).toBeGreaterThan(0);
    expect(result.emulator?.rateLimited ?? 0).toBeGreaterThan(0);
    expect(result.engine.rateLimited).toBeGreaterThan(0);
    expect(result.engine.retries).toBeGreaterThan(0);
    expect(states).toContain('rate-limited');
    expect(peakBacklog).toBeGreaterThan(100);
    expect(result.network.outages).toBeGreaterThan(0);
    // ...and converges: nothing left waiting, nothing stored twice, the lost answers confirmed by "already exists".
    expect(result.outbox).toMatchObject({ pending: 0, inFlight: 0 });
    expect(result.outbox.delivered + result.outbox.dead).toBe(result.recorded);
    expect(result.emulator?.idsStoredMoreThanOnce).toBe(0);
    expect(result.emulator?.duplicateIdsSeen ?? 0).toBeGreaterThan(0);
  }, 60_000);
});
