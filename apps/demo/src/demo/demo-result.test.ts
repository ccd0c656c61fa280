import type { EmulatorCounters, StoredEvent } from '@hubline/emulator';
import { describe, expect, it } from 'vitest';
import { engineCounts, summarizeEmulator } from './demo-result.js';

const counters: EmulatorCounters = {
  requests: 5,
  eventsStored: 4,
  duplicateIdsSeen: 1,
  rateLimited: 0,
  faultsInjected: 2,
  resets: 1,
  byStatus: { '200': 2, '207': 1, '500': 1, '503': 1, '429': 0 },
};

const stored = (eventTemplateId: string, id: string): StoredEvent => ({
  eventTemplateId,
  id,
  objectType: 'contacts',
  tokens: {},
  timestamp: '2026-01-01T00:00:00.000Z',
  api: 'v3',
  storedAt: 0,
  requestSeq: 1,
});

describe('summarizeEmulator', () => {
  it("checks this run's ids against what the emulator stored: once, twice or never", () => {
    const events = [stored('1', 'a'), stored('1', 'b'), stored('1', 'b'), stored('2', 'c')];
    expect(summarizeEmulator(counters, events, new Set(['a', 'b', 'x']))).toMatchObject({
      eventsStored: 4,
      uniqueIdsStored: 3,
      idsStoredMoreThanOnce: 1,
      runIdsStoredExactlyOnce: 1,
      runIdsMissing: 1,
    });
  });

  it('reports only the counters without stored events, 5xx answers summed', () => {
    expect(summarizeEmulator(counters)).toEqual({
      requests: 5,
      eventsStored: 4,
      duplicateIdsSeen: 1,
      rateLimited: 0,
      faultsInjected: 2,
      resets: 1,
      serverErrors: 2,
    });
  });
});

describe('engineCounts', () => {
  it("reports the engine's own deliveries and dead letters from its last stats$ value", () => {
    expect(
      engineCounts({
        pending: 0,
        inFlight: 0,
        delivered: 1000,
        dead: 4,
        evicted: 0,
        oldestPendingAgeMs: 0,
        backlogBytes: 0,
        requests: 12,
        rateLimited: 1,
        retries: 3,
        deliveredByEngine: 990,
        deadByEngine: 4,
        confirming: 0,
        deliveryRate: 0,
      }),
    ).toEqual({ requests: 12, rateLimited: 1, retries: 3, delivered: 990, dead: 4 });
  });

  it('reports zeros when the engine never sent its stats', () => {
    expect(engineCounts(undefined)).toEqual({
      requests: 0,
      rateLimited: 0,
      retries: 0,
      delivered: 0,
      dead: 0,
    });
  });
});
