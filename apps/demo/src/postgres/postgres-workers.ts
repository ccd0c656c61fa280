import { openPostgresOutbox, type PostgresOutbox } from '@hubline/postgres';
import type { SyncEngine, SyncOutcome, SyncStats, SyncStatus } from '@hubline/sync';
import type { Observable, Subscription } from 'rxjs';
import { createDemoEngine } from '../demo/create-engine.js';

/** One sync engine of the PostgreSQL demo, with a store (a pool and a session) of its own. */
export interface DemoWorker {
  /** `worker-1`, `worker-2`, … */
  readonly name: string;
  /** Its store on the shared outbox. */
  readonly store: PostgresOutbox;
  /** Its engine, built but not started. */
  readonly engine: SyncEngine;
  /** Its latest status. */
  readonly status: SyncStatus | undefined;
  /** Its latest counts. */
  readonly stats: SyncStats | undefined;
  /** Stops following the engine's streams. */
  unsubscribe(): void;
}

/** Options of {@link openWorkers}. */
export interface WorkerOptions {
  /** The database. */
  readonly url: string;
  /** The outbox's schema. */
  readonly schema: string;
  /** How many. */
  readonly count: number;
  /** The emulator. */
  readonly emulatorUrl: string;
  /** The simulated network. */
  readonly online$: Observable<boolean>;
  /** Every outcome of every worker. */
  readonly onOutcome: (worker: string, outcome: SyncOutcome) => void;
}

/**
 * Opens `count` workers on one outbox: each a store of its own (as each machine of a fleet has) and the demo's
 * engine on it, with the demo's timings. In one process they share the emulator's rate budget as engines with
 * the same URL and token do; the store shares pauses, leases and the wake-up signal between them.
 *
 * @param options - see {@link WorkerOptions}
 */
export async function openWorkers(options: WorkerOptions): Promise<DemoWorker[]> {
  const workers: DemoWorker[] = [];
  try {
    for (let n = 1; n <= options.count; n++) workers.push(await openWorker(options, `worker-${n}`));
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.store.close()));
    throw error;
  }
  return workers;
}

async function openWorker(options: WorkerOptions, name: string): Promise<DemoWorker> {
  const store = await openPostgresOutbox({
    connectionString: options.url,
    schema: options.schema,
    poolSize: 3,
  });
  const engine = createDemoEngine({
    outbox: store,
    target: { kind: 'emulator' },
    emulatorUrl: options.emulatorUrl,
    online$: options.online$,
  });
  let status: SyncStatus | undefined;
  let stats: SyncStats | undefined;
  const subscriptions: Subscription[] = [
    engine.status$.subscribe((value) => {
      status = value;
    }),
    engine.stats$.subscribe((value) => {
      stats = value;
    }),
    engine.outcomes$.subscribe((outcome) => options.onOutcome(name, outcome)),
  ];
  return {
    name,
    store,
    engine,
    get status() {
      return status;
    },
    get stats() {
      return stats;
    },
    unsubscribe: () => {
      for (const subscription of subscriptions) subscription.unsubscribe();
    },
  };
}
