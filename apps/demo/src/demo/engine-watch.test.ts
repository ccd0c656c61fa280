import type { SyncStats, SyncStatus } from '@hubline/sync';
import { BehaviorSubject, ReplaySubject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { watchEngine } from './engine-watch.js';

const stats = (deliveryRate: number): SyncStats => ({
  pending: 0,
  inFlight: 0,
  delivered: 10,
  dead: 0,
  evicted: 0,
  oldestPendingAgeMs: 0,
  backlogBytes: 0,
  requests: 2,
  rateLimited: 0,
  retries: 0,
  deliveredByEngine: 10,
  deadByEngine: 0,
  confirming: 0,
  deliveryRate,
});

describe('watchEngine', () => {
  it("holds the engine's latest status and stats, and keeps the last ones once closed", () => {
    const status$ = new BehaviorSubject<SyncStatus>({ state: 'sending' });
    const stats$ = new ReplaySubject<SyncStats>(1);
    const watch = watchEngine({ status$, stats$ });
    expect(watch.status).toEqual({ state: 'sending' });
    expect(watch.stats).toBeUndefined();
    stats$.next(stats(4));
    status$.next({ state: 'idle' });
    expect(watch.stats?.deliveryRate).toBe(4);
    expect(watch.status).toEqual({ state: 'idle' });
    watch.close();
    stats$.next(stats(9));
    status$.next({ state: 'stopped' });
    expect(watch.stats?.deliveryRate).toBe(4);
    expect(watch.status).toEqual({ state: 'idle' });
  });

  it('says idle before the engine said anything', () => {
    expect(watchEngine({ status$: new ReplaySubject(1), stats$: new ReplaySubject(1) }).status).toEqual({
      state: 'idle',
    });
  });
});
