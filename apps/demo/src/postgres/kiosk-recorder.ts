import type { RandomSource } from '@hubline/core';
import type { PostgresOutbox } from '@hubline/postgres';
import type pg from 'pg';
import { type ActivityTemplates, createActivity, createDevices } from '../sim/activity.js';

/** Options of {@link createKioskRecorder}. */
export interface KioskRecorderOptions {
  /** The app's own connections. */
  readonly pool: pg.Pool;
  /** The outbox the events go into, inside the app's transaction. */
  readonly outbox: PostgresOutbox;
  /** The app's schema, holding its `kiosk_log` table (created when missing). */
  readonly appSchema: string;
  /** Simulated kiosks. */
  readonly devices: number;
  /** Events per second for the whole fleet. */
  readonly rate: number;
  /** Stop after this many events. @default unlimited */
  readonly limit?: number | undefined;
  /** Which template each kind of activity uses. */
  readonly templates: ActivityTemplates;
  /** Seeded randomness. */
  readonly random: RandomSource;
  /** Epoch ms. */
  readonly now: () => number;
  /** Called with the ids of each committed transaction. */
  readonly onRecorded: (ids: readonly string[]) => void;
  /** Receives a line when a transaction fails (it is rolled back and its events are not recorded). */
  readonly notice: (line: string) => void;
  /** How often the kiosks catch up, ms. @default 100 */
  readonly tickMs?: number;
}

/** The kiosks' app, writing to PostgreSQL. */
export interface KioskRecorder {
  /** Start recording at the configured rate. */
  start(): void;
  /** Stop recording; resolves once the transaction under way has committed or rolled back. */
  stop(): Promise<void>;
  /** Events committed so far. */
  readonly recorded: number;
  /** Resolves once `limit` events are committed; never without a limit. */
  readonly limitReached: Promise<void>;
}

/**
 * Creates the app's table: one row per kiosk activity, written in the same transaction as its timeline event.
 *
 * @param pool - the app's connections
 * @param appSchema - the app's schema
 */
export async function createAppTables(pool: pg.Pool, appSchema: string): Promise<void> {
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${appSchema}"`);
  await pool.query(
    `CREATE TABLE IF NOT EXISTS "${appSchema}".kiosk_log (event_id text PRIMARY KEY, device text NOT NULL,
       site text NOT NULL, logged_at timestamptz NOT NULL DEFAULT now())`,
  );
}

/**
 * The kiosks as an app on PostgreSQL would be: each tick, one transaction writes the app's own rows
 * (`kiosk_log`) and records their timeline events with `outbox.recordMany(client, …)`, so both commit or
 * neither does — the transactional outbox. The engines are woken when the app commits.
 *
 * @param options - see {@link KioskRecorderOptions}
 */
export function createKioskRecorder(options: KioskRecorderOptions): KioskRecorder {
  const devices = createDevices(Math.max(1, options.devices));
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  let recorded = 0;
  let startedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  // One transaction at a time: the next tick catches up on whatever fell due meanwhile.
  let busy: Promise<void> | undefined;
  let reached: () => void = () => undefined;
  const limitReached = new Promise<void>((resolve) => {
    reached = resolve;
  });

  const commitBatch = async (count: number): Promise<void> => {
    const now = options.now();
    const picked = Array.from({ length: count }, (_, n) => devices[(recorded + n) % devices.length]!);
    const inputs = picked.map((device) => createActivity(options.random, device, options.templates, now));
    const client = await options.pool.connect();
    try {
      await client.query('BEGIN');
      const ids = await options.outbox.recordMany(client, inputs);
      await client.query(
        `INSERT INTO "${options.appSchema}".kiosk_log (event_id, device, site)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
        [ids, picked.map((device) => device.name), picked.map((device) => device.site)],
      );
      await client.query('COMMIT');
      recorded += ids.length;
      options.onRecorded(ids);
      if (recorded >= limit) reached();
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      options.notice(
        `a kiosk transaction was rolled back: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      client.release();
    }
  };

  const tick = (): void => {
    if (busy !== undefined) return;
    const due = Math.min(limit, Math.floor(((options.now() - startedAt) / 1000) * options.rate)) - recorded;
    if (due <= 0) return;
    busy = commitBatch(Math.min(due, 500)).finally(() => {
      busy = undefined;
    });
  };

  return {
    start() {
      if (timer !== undefined) return;
      startedAt = options.now() - (recorded / options.rate) * 1000;
      timer = setInterval(tick, options.tickMs ?? 100);
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await busy;
    },
    get recorded() {
      return recorded;
    },
    limitReached,
  };
}
