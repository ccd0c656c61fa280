import { createMemoryStore, type MemoryStore } from '@hubline/outbox/testing';
import type { RateBudget } from '../../src/contracts.js';
import { createSyncEngine } from '../../src/engine/create-sync-engine.js';
import type { SyncEngine, SyncEngineOptions, SyncOutcome, SyncStatus } from '../../src/engine/types.js';
import { fakeDialect } from './fake-dialect.js';
import { createFakeTransport, type FakeTransport } from './fake-transport.js';
import { createVirtualClock, type VirtualClock } from './virtual-clock.js';

/** An engine wired to an in-memory store (the one the contract suite proves) and a fake transport on a virtual clock, with its streams recorded. */
export interface EngineHarness {
  readonly clock: VirtualClock;
  readonly outbox: MemoryStore;
  readonly fake: FakeTransport;
  readonly engine: SyncEngine;
  readonly statuses: SyncStatus[];
  readonly outcomes: SyncOutcome[];
  /** Create another engine on the same clock, outbox and transport. */
  another(options?: Partial<SyncEngineOptions>): SyncEngine;
}

/**
 * Build a harness. Defaults: no pacing (`rateLimit: false`), 100 ms latency, jitter fixed at 0.5.
 *
 * @param options - engine options to override
 * @param latencyMs - virtual time each request takes
 */
export function createEngineHarness(
  options: Partial<SyncEngineOptions> & { rateLimit?: SyncEngineOptions['rateLimit'] | RateBudget } = {},
  latencyMs = 100,
): EngineHarness {
  const clock = createVirtualClock();
  const outbox = createMemoryStore({ clock: clock.now });
  const fake = createFakeTransport(clock.scheduler, latencyMs);
  const make = (overrides: Partial<SyncEngineOptions>): SyncEngine =>
    createSyncEngine({
      outbox,
      accessToken: 'token-1',
      baseUrl: 'http://127.0.0.1:1',
      dialect: fakeDialect,
      transport: fake.transport,
      rateLimit: false,
      scheduler: clock.scheduler,
      random: () => 0.5,
      requestTimeoutMs: 1000,
      ...overrides,
    });
  const engine = make(options);
  const statuses: SyncStatus[] = [];
  const outcomes: SyncOutcome[] = [];
  engine.status$.subscribe((status) => statuses.push(status));
  engine.outcomes$.subscribe((outcome) => outcomes.push(outcome));
  return {
    clock,
    outbox,
    fake,
    engine,
    statuses,
    outcomes,
    another: (more = {}) => make({ ...options, ...more }),
  };
}
