import { createSeededRandom } from '@hubline/core';
import { type RunningEmulator, startEmulator } from '@hubline/emulator';
import { openPostgresOutbox, type PostgresOutbox } from '@hubline/postgres';
import pg from 'pg';
import type { DemoCliOptions } from '../cli/parse-cli.js';
import { summarizeEmulator } from '../demo/demo-result.js';
import { createNetworkControl, type NetworkControl } from '../demo/network-control.js';
import { FAULT_PROFILES } from '../faults/fault-profiles.js';
import { DEFAULT_NETWORK_PHASES } from '../network/network-schedule.js';
import { EMULATOR_TEMPLATES } from '../sim/activity.js';
import { createAppTables, createKioskRecorder, type KioskRecorder } from './kiosk-recorder.js';
import type { PostgresDemoResult } from './postgres-result.js';
import type { DemoServer } from './postgres-server.js';
import { type PostgresDemoSnapshot, workerViews } from './postgres-snapshot.js';
import { type DemoWorker, openWorkers } from './postgres-workers.js';

/** The outbox's schema on the server. */
const OUTBOX_SCHEMA = 'hubline_demo';

/** The kiosks' app's own schema. */
const APP_SCHEMA = 'hubline_demo_app';

/** What the PostgreSQL demo is asked for. */
export interface PostgresDemoOptions {
  /** The demo's flags. */
  readonly cli: DemoCliOptions;
  /** Engine workers on the one outbox. */
  readonly workers: number;
  /** The server. */
  readonly server: DemoServer;
  /** Receives lines worth a line of their own. */
  readonly notice: (line: string) => void;
}

/** A PostgreSQL demo, open and not yet started. */
export interface PostgresDemo {
  /** The emulator's URL. */
  readonly emulatorUrl: string;
  /** Start the kiosks, the network schedule and the workers. */
  start(): void;
  /** The current state. */
  snapshot(): Promise<PostgresDemoSnapshot>;
  /** Whether every `--events` event is recorded and delivered or dead-lettered. */
  goalReached(): boolean;
  /** Stops the kiosks, lets the workers drain (bounded), reports and closes everything but the server. */
  shutdown(drainTimeoutMs?: number): Promise<PostgresDemoResult>;
}

/** The opened parts. */
interface Parts {
  readonly options: PostgresDemoOptions;
  readonly startedAt: number;
  readonly pool: pg.Pool;
  readonly outbox: PostgresOutbox;
  readonly emulator: RunningEmulator;
  readonly network: NetworkControl;
  readonly workers: readonly DemoWorker[];
  readonly recorder: KioskRecorder;
  readonly runIds: Set<string>;
  readonly settled: Set<string>;
}

/**
 * Opens the PostgreSQL demo: the app's pool and tables, the outbox the app records into, the emulator with the
 * fault profile, the network schedule, and the workers — each a store and an engine of its own on the same outbox.
 *
 * @param options - see {@link PostgresDemoOptions}
 */
export async function openPostgresDemo(options: PostgresDemoOptions): Promise<PostgresDemo> {
  const { cli, server, notice } = options;
  const startedAt = Date.now();
  const pool = new pg.Pool({ connectionString: server.url, max: 3 });
  await createAppTables(pool, APP_SCHEMA);
  const outbox = await openPostgresOutbox({ pool, schema: OUTBOX_SCHEMA });
  const emulator = await startEmulator({ faults: { ...FAULT_PROFILES[cli.faults], seed: cli.seed } });
  const network = createNetworkControl({
    phases: DEFAULT_NETWORK_PHASES,
    drops: cli.drops,
    setListenerOnline: (online) => emulator.setOnline(online),
    notice,
    now: Date.now,
  });
  const runIds = new Set<string>();
  const settled = new Set<string>();
  const workers = await openWorkers({
    url: server.url,
    schema: OUTBOX_SCHEMA,
    count: options.workers,
    emulatorUrl: emulator.url,
    online$: network.online$,
    onOutcome: (_worker, outcome) => {
      if (outcome.type !== 'retrying') settled.add(outcome.id);
    },
  });
  const recorder = createKioskRecorder({
    pool,
    outbox,
    appSchema: APP_SCHEMA,
    devices: cli.devices,
    rate: cli.rate,
    limit: cli.events,
    templates: EMULATOR_TEMPLATES,
    random: createSeededRandom(cli.seed),
    now: Date.now,
    onRecorded: (ids) => {
      for (const id of ids) runIds.add(id);
    },
    notice,
  });
  void recorder.limitReached.then(() => {
    network.lock('all-recorded');
    if (!network.wanted) {
      notice(`all ${cli.events} events recorded; bringing the network back to drain the backlog`);
      void network.set(true);
    }
  });
  return controls({
    options,
    startedAt,
    pool,
    outbox,
    emulator,
    network,
    workers,
    recorder,
    runIds,
    settled,
  });
}

function controls(parts: Parts): PostgresDemo {
  const { options, outbox, emulator, network, workers, recorder, runIds, settled } = parts;
  const goal = options.cli.events;
  let shutdown: Promise<PostgresDemoResult> | undefined;
  return {
    emulatorUrl: emulator.url,
    start() {
      for (const worker of workers) worker.engine.start();
      recorder.start();
      network.start();
    },
    async snapshot() {
      return {
        uptimeSeconds: (Date.now() - parts.startedAt) / 1000,
        recorded: recorder.recorded,
        outbox: await outbox.stats(),
        online: network.online,
        workers: workerViews(workers),
        emulator: summarizeEmulator(emulator.counters()),
      };
    },
    goalReached: () =>
      goal !== undefined && recorder.recorded >= goal && [...runIds].every((id) => settled.has(id)),
    shutdown(drainTimeoutMs = 20_000) {
      shutdown ??= finish(parts, drainTimeoutMs);
      return shutdown;
    },
  };
}

/** Stops the kiosks, drains, checks the emulator against this run's ids, and closes all but the server. */
async function finish(parts: Parts, drainTimeoutMs: number): Promise<PostgresDemoResult> {
  const { options, pool, outbox, emulator, network, workers, recorder, runIds } = parts;
  await recorder.stop();
  network.lock('shutting-down');
  const stops = await Promise.all(
    workers.map(async (worker) => {
      const before = worker.status;
      const stopped = await worker.engine.stop({ drain: true, timeoutMs: drainTimeoutMs });
      if (stopped.timedOut) {
        options.notice(
          `${worker.name} did not finish draining within ${drainTimeoutMs / 1000} s (it was ${before?.state ?? 'starting'}${before?.reason === undefined ? '' : `: ${before.reason}`}); the outbox keeps its events`,
        );
      }
      return stopped;
    }),
  );
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM "${APP_SCHEMA}".kiosk_log WHERE event_id = ANY($1::text[])`,
    [[...runIds]],
  );
  const result: PostgresDemoResult = {
    server: options.server.label,
    faults: options.cli.faults,
    seed: options.cli.seed,
    durationMs: Date.now() - parts.startedAt,
    drained: stops.every((stop) => !stop.timedOut),
    recorded: recorder.recorded,
    appRows: Number(rows[0]?.n ?? 0),
    goal: options.cli.events ?? null,
    outbox: await outbox.stats(),
    workers: workerViews(workers),
    emulator: summarizeEmulator(emulator.counters(), emulator.events(), runIds),
  };
  for (const worker of workers) {
    worker.unsubscribe();
    await worker.store.close();
  }
  await outbox.close();
  await pool.end();
  await emulator.stop();
  return result;
}
