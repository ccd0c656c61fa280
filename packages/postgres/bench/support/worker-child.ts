/**
 * One engine process on the PostgreSQL outbox: a sync engine draining the store's schema to the emulator.
 * Argument: JSON {@link WorkerConfig}. Prints `ready` once the store is open, starts the engine on `go` (stdin),
 * prints `sending` whenever the engine starts sending and `delivered <n>` (its running count, at most every
 * {@link REPORT_MS}) as deliveries are settled, and on `stop` stops it with drain, closes the store, prints `stopped {"delivered": n}` and exits. Killed, it
 * leaves its leases to the others.
 */
import { v3Dialect } from '@hubline/core';
import { defaultAccessToken } from '@hubline/emulator';
import { createSyncEngine, type SyncEngineOptions } from '@hubline/sync';
import { openPostgresOutbox } from '../../src/open-postgres-outbox.js';

/** What a worker is told. */
export interface WorkerConfig {
  /** The database. */
  readonly url: string;
  /** The store's schema. */
  readonly schema: string;
  /** The emulator. */
  readonly baseUrl: string;
  /** Lease owner: the same name after a restart takes the old leases over at once. */
  readonly owner: string;
  /** Engine tuning. */
  readonly engine?: Partial<
    Pick<
      SyncEngineOptions,
      | 'batchSize'
      | 'maxInFlight'
      | 'requestTimeoutMs'
      | 'leaseMs'
      | 'pollIntervalMs'
      | 'backoff'
      | 'rateLimit'
    >
  >;
}

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
const outbox = await openPostgresOutbox({ connectionString: config.url, schema: config.schema, poolSize: 4 });
const engine = createSyncEngine({
  outbox,
  accessToken: defaultAccessToken,
  baseUrl: config.baseUrl,
  dialect: v3Dialect,
  owner: config.owner,
  offlineProbeMs: 200,
  ...config.engine,
});
/** How often at most the running count of deliveries is printed: a bench stops its clock by it, not by polling the store. */
const REPORT_MS = 50;
let delivered = 0;
let reportedAt = 0;
let reportDue = false;
const report = (): void => {
  reportDue = false;
  reportedAt = performance.now();
  process.stdout.write(`delivered ${delivered}\n`);
};
engine.outcomes$.subscribe((outcome) => {
  if (outcome.type !== 'delivered') return;
  delivered += 1;
  if (reportDue) return;
  // A settle emits its deliveries together: they go out in one line, on the next turn or a moment later.
  reportDue = true;
  setTimeout(report, Math.max(0, reportedAt + REPORT_MS - performance.now()));
});
engine.status$.subscribe((status) => {
  if (status.state === 'sending') process.stdout.write('sending\n');
});
process.stdout.write('ready\n');
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  if (chunk.includes('go')) engine.start();
  if (!chunk.includes('stop')) return;
  void engine
    .stop({ drain: true, timeoutMs: 10_000 })
    .then(() => outbox.close())
    .then(() => {
      process.stdout.write(`stopped ${JSON.stringify({ delivered })}\n`);
      process.exit(0);
    });
});
