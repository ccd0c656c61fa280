import type { OutboxStats } from '@hubline/outbox';
import type { SyncStats } from '@hubline/sync';
import { describe, expect, it } from 'vitest';
import { composeSnapshot, roundRate, type SnapshotSources, seriesPoint } from './sampling.js';

const outbox: OutboxStats = {
  pending: 40,
  inFlight: 2,
  delivered: 900,
  dead: 3,
  evicted: 0,
  oldestPendingAgeMs: 1800,
  backlogBytes: 12_600,
};

const engine: SyncStats = {
  // The engine's own copy of the counts is throttled; the snapshot must take the outbox's fresh ones.
  ...outbox,
  pending: 99,
  delivered: 800,
  requests: 31,
  rateLimited: 1,
  retries: 5,
  deliveredByEngine: 850,
  deadByEngine: 3,
  confirming: 0,
  deliveryRate: 96.54,
};

const sources: SnapshotSources = {
  now: 1_000_000,
  startedAt: 940_000,
  target: 'emulator',
  online: true,
  scheduledDrops: true,
  scheduleAvailable: true,
  faults: 'flaky',
  recording: true,
  recorded: 945,
  goal: null,
  status: { state: 'sending' },
  outbox,
  engine,
  emulator: null,
};

describe('composeSnapshot', () => {
  it("takes the counts from the outbox and the delivery rate from the engine's stats$", () => {
    expect(composeSnapshot(sources)).toEqual({
      at: 1_000_000,
      uptimeMs: 60_000,
      target: 'emulator',
      online: true,
      scheduledDrops: true,
      scheduleAvailable: true,
      faults: 'flaky',
      recording: true,
      status: { state: 'sending' },
      recorded: 945,
      goal: null,
      pending: 40,
      inFlight: 2,
      delivered: 900,
      dead: 3,
      backlogBytes: 12_600,
      oldestPendingAgeMs: 1800,
      requests: 31,
      rateLimited: 1,
      retries: 5,
      deliveryRate: 96.5,
      emulator: null,
    });
  });

  it('shows zeros for the engine before its first stats$ value', () => {
    expect(composeSnapshot({ ...sources, engine: undefined })).toMatchObject({
      requests: 0,
      rateLimited: 0,
      retries: 0,
      deliveryRate: 0,
      delivered: 900,
    });
  });

  it('says why the engine is offline when the demo cut the network', () => {
    const snapshot = composeSnapshot({
      ...sources,
      online: false,
      status: { state: 'offline', reason: 'online$ reported offline', until: 1_000_500 },
    });
    expect(snapshot.status).toEqual({
      state: 'offline',
      reason: 'the network is down; new events wait in the outbox on disk',
      until: 1_000_500,
    });
  });
});

describe('roundRate', () => {
  it('keeps one decimal and never goes below zero', () => {
    expect(roundRate(96.54)).toBe(96.5);
    expect(roundRate(96.55)).toBe(96.6);
    expect(roundRate(0.04)).toBe(0);
    expect(roundRate(-1)).toBe(0);
  });
});

describe('seriesPoint', () => {
  it('charts the backlog (pending plus in flight) and the rate at the snapshot time, in seconds', () => {
    const snapshot = composeSnapshot({ ...sources, online: false });
    expect(seriesPoint(snapshot)).toEqual({ t: 1000, backlog: 42, rate: 96.5, online: false });
  });
});
