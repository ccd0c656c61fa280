import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openOutbox } from '../src/open-outbox.js';
import { isProcessGone } from '../src/owners/is-process-gone.js';
import { currentProcess } from '../src/owners/process-identity.js';
import { kill, startChild } from './child-process.js';
import { sampleInput, type TempDir, tempDir } from './support.js';

const held = (lines: readonly string[]) =>
  lines.filter((line) => line.startsWith('C ')).map((line) => line.slice(2));

describe('Outbox and the leases of a process that is gone', () => {
  let temp: TempDir;
  beforeEach(() => {
    temp = tempDir();
  });
  afterEach(() => temp.remove());

  it('lets a fresh claim take over at once the leases of an engine that was SIGKILLed, not after its lease', async () => {
    const path = temp.path();
    const seed = openOutbox({ path });
    const ids = seed.recordMany(Array.from({ length: 5 }, (_, n) => sampleInput(n)));
    seed.close();
    const child = startChild(['hold', path, 'engine-1']);
    await child.until((lines) => lines.includes('HELD'), 60_000);
    expect(held(child.lines).sort()).toEqual([...ids].sort());

    // While it lives, its ten-minute leases hold.
    const alive = openOutbox({ path });
    expect(alive.claim({ limit: 10, leaseMs: 30_000, owner: 'engine-2' })).toEqual([]);
    expect(alive.nextDueIn()).toBeGreaterThan(500_000);
    expect(alive.accountsDue()).toEqual([{ account: 'default', dueIn: expect.any(Number) }]);
    expect(alive.accountsDue()[0]?.dueIn).toBeGreaterThan(500_000);
    alive.close();

    await kill(child);
    const restarted = openOutbox({ path });
    try {
      expect(restarted.nextDueIn()).toBe(0);
      // An engine draining by account sees the dead one's leases due as well.
      expect(restarted.accountsDue()).toEqual([{ account: 'default', dueIn: 0 }]);
      const claimed = restarted.claim({ limit: 10, leaseMs: 30_000, owner: 'engine-2' });
      expect(claimed.map((entry) => entry.id).sort()).toEqual([...ids].sort());
      expect(restarted.history(ids[0]!).map((record) => record.event)).toEqual([
        expect.objectContaining({ type: 'Recorded' }),
        expect.objectContaining({ type: 'Claimed', owner: 'engine-1' }),
        expect.objectContaining({ type: 'LeaseExpired', owner: 'engine-1', ownerGone: true }),
        expect.objectContaining({ type: 'Claimed', owner: 'engine-2' }),
      ]);
    } finally {
      restarted.close();
    }
  }, 120_000);

  it('takes over the leases of a killed engine that restarts under the same owner name', async () => {
    const path = temp.path();
    const seed = openOutbox({ path });
    const ids = seed.recordMany(Array.from({ length: 3 }, (_, n) => sampleInput(n)));
    seed.close();
    const child = startChild(['hold', path, 'kiosk']);
    await child.until((lines) => lines.includes('HELD'), 60_000);
    await kill(child);
    const restarted = openOutbox({ path });
    try {
      const claimed = restarted.claim({ limit: 10, leaseMs: 30_000, owner: 'kiosk' });
      expect(claimed.map((entry) => entry.id).sort()).toEqual([...ids].sort());
      expect(restarted.history(ids[0]!).at(-2)?.event).toMatchObject({
        type: 'LeaseExpired',
        ownerGone: true,
      });
    } finally {
      restarted.close();
    }
  }, 120_000);

  it('never takes this process, another live one, or one on another machine for gone', () => {
    const me = currentProcess();
    expect(isProcessGone(me, me)).toBe(false);
    expect(isProcessGone({ ...me, pid: process.ppid, started: 'random:x' }, me)).toBe(false);
    expect(isProcessGone({ ...me, host: 'another-machine', pid: 2 ** 22 + 7 }, me)).toBe(false);
    // The same pid after a restart (a container's pid 1 again), a pid nobody has, a machine that rebooted.
    expect(isProcessGone({ ...me, started: `${me.started}-before` }, me)).toBe(true);
    expect(isProcessGone({ ...me, pid: 2 ** 22 + 7 }, me)).toBe(true);
    if (me.boot !== '') expect(isProcessGone({ ...me, boot: 'another-boot' }, me)).toBe(true);
  });
});
