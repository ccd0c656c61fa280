import type { Subscription } from 'rxjs';
import { createEngineCounters } from './engine-counters.js';
import { createEngineParts } from './engine-parts.js';
import { maySend, nextPhase } from './engine-phase.js';
import { createEngineStopper, engineStoppedError } from './engine-stopper.js';
import { statsStream, withCounters } from './stats-stream.js';
import { startTriggers } from './triggers.js';
import type { FlushReport, StopOptions, SyncEngine, SyncEngineOptions } from './types.js';

/**
 * Create the delivery engine that drains a store (an outbox) to HubSpot exactly once by id.
 *
 * Every HubSpot account with events in the store gets its own lane: its token source, its rate budget (HubSpot
 * counts per app and account), its pauses and its drain loop, so one throttled, unauthorized or forbidden account
 * never holds up another, and a batch never mixes accounts. Triggers (new records, an interval, `online$` turning
 * true, `flush()`, the next due time, the end of a pause) look up which accounts have work due and start their
 * lanes. Each pass claims a page, waits for the rate budget, sends, and settles every event by HubSpot's verdict;
 * batches refused as a whole are bisected while the lease is held. Memory stays flat whatever the backlog.
 *
 * @param options - see {@link SyncEngineOptions}; `outbox`, and `accessToken` or `accounts`, are required.
 * @example
 * ```ts
 * const sync = createSyncEngine({ outbox, accessToken: process.env.HUBSPOT_TOKEN! });
 * sync.status$.subscribe((status) => console.log(status.state));
 * sync.start();
 * await sync.whenDelivered(outbox.record({ eventTemplateId: '1001', email: 'ana@example.com' }));
 * await sync.stop({ drain: true });
 * ```
 */
export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const parts = createEngineParts(options);
  const { config, store, state, lanes, board, network, registry } = parts;
  let triggers: Subscription | undefined;

  const flush = (waitThroughRateLimit: boolean): Promise<FlushReport> => {
    const flushed = parts.flushes.add(parts.totals(), waitThroughRateLimit);
    parts.dispatch('flush', true);
    return flushed;
  };
  const statsSubscription = statsStream(
    parts.statsChanged,
    parts,
    config.statsIntervalMs,
    parts.scheduler,
  ).subscribe((value) => parts.stats.next(value));
  const stopper = createEngineStopper(
    parts,
    () => flush(false),
    () => {
      triggers?.unsubscribe();
      statsSubscription.unsubscribe();
    },
  );

  const onHostOnline = (online: boolean): void => {
    state.hostOnline = online;
    if (online) network.endOffline();
    board.refresh();
    if (online) parts.dispatch('online');
  };

  return {
    start() {
      // Once stop() is called (a drain may still be running), the engine can only finish stopping.
      if (state.phase !== 'created' || stopper.requested) return;
      state.phase = nextPhase(state.phase, 'start');
      triggers = startTriggers({
        config,
        timers: parts.timers,
        registry,
        lookup: (id) => store.get(id),
        pollStore: async () => {
          await Promise.all([...lanes.values()].map((lane) => lane.readShared()));
        },
        kick: (reason) => parts.dispatch(reason),
        statsChanged: () => parts.statsChanged.next(),
        hostOnline: onHostOnline,
      });
      parts.statsChanged.next();
      parts.dispatch('start');
    },
    stop: (stopOptions: StopOptions = {}) => stopper.stop(stopOptions),
    async [Symbol.asyncDispose]() {
      await this.stop();
    },
    flush() {
      if (!maySend(state.phase)) return Promise.reject(engineStoppedError());
      return flush(true);
    },
    whenDelivered: (id: string) => registry.wait(id, (key) => store.get(key)),
    async statsOf(account: string) {
      const own = lanes.get(account)?.counters ?? createEngineCounters(config.rateWindowMs);
      return withCounters(await store.stats(account), own, parts.now());
    },
    status$: board.status$,
    statuses$: board.statuses$,
    statusOf$: board.statusOf$,
    stats$: parts.stats.asObservable(),
    outcomes$: parts.outcomes.asObservable(),
  };
}
