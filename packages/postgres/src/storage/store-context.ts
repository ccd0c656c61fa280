import { createHash, randomUUID } from 'node:crypto';
import { isHublineError, StorageError } from '@hubline/core';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Pool, PoolClient } from 'pg';
import type { ResolvedOptions } from '../options/resolve-options.js';
import { defineTables, type Tables } from '../schema/tables.js';
import { ColdQueries } from './cold-queries.js';
import { executable } from './executables.js';
import { clientRunner, type Runner, type Statement } from './runner.js';
import { createStatements, type Statements } from './statements.js';
import type { Target } from './target.js';
import { toStorageError } from './to-storage-error.js';

/** The clock row as a statement read it, with when (by the monotonic clock) the statement left and returned. */
export interface ClockRow {
  /** The stored high-water mark of the store clock's readings. */
  readonly highWater: number;
  /** The server's clock, epoch ms. */
  readonly serverNow: number;
  /** `performance.now()` before the statement. */
  readonly sentAt: number;
  /** `performance.now()` after it. */
  readonly receivedAt: number;
}

/** A transaction of the store's: its connection as a runner for the hot statements, and as drizzle's database. */
export interface StoreTransaction {
  /** Runs the store's statements, prepared by name on the connection. */
  readonly runner: Runner;
  /** drizzle on the same connection, for the cold queries. */
  readonly db: NodePgDatabase;
  /** The clock row, read with `BEGIN`. */
  readonly clock: ClockRow;
  /** The rows of the statement the transaction was begun with (see {@link Opening}), if any. */
  readonly opened: readonly object[] | undefined;
  /**
   * Runs the transaction's last statement and its `COMMIT` in one round trip: nothing may run after it. A
   * transaction that never calls it is committed when its body returns.
   */
  readonly closing: Runner;
}

/** A statement run with `BEGIN` and the clock row, in the same round trip: a transaction's first read. */
export interface Opening {
  /** The statement. */
  readonly statement: Statement;
  /** Its parameters. */
  readonly values: readonly unknown[];
}

/**
 * What every operation of one store shares: its pool, statements, tables, options and names, and the
 * transaction and error helpers. The operations themselves live in `record.ts`, `claim.ts`, `outcomes.ts`,
 * `maintenance.ts` and `budgets.ts`.
 */
export class StoreContext {
  /** The pool every query runs on: the store's own, or the app's. */
  readonly pool: Pool;
  /** The checked options. */
  readonly options: ResolvedOptions;
  /** The hot statements, qualified by the schema. */
  readonly sql: Statements;
  /** drizzle's tables, qualified by the schema. */
  readonly tables: Tables;
  /** Where the data is, for messages, and the password to keep out of them. */
  readonly target: Target;
  /** The `LISTEN`/`NOTIFY` channel of the schema. */
  readonly channel: string;
  /** The advisory-lock namespace of lease owners' session locks. */
  readonly ownerLocks: string;
  /** The advisory-lock namespace of capped recorders. */
  readonly capacityLocks: string;
  /** The advisory-lock namespace of the takers of budget slots. */
  readonly slotLocks: string;
  /** This store object's id in its notifications, so that it skips its own. */
  readonly instanceId = randomUUID().slice(0, 8);
  /** Runs single statements on the pool, each in a transaction of its own. */
  readonly pooled: Runner;
  /** drizzle on the pool, for cold reads outside a transaction. */
  readonly db: NodePgDatabase;
  /** History, dead letters, requeue, discard and prune, through drizzle. */
  readonly cold: ColdQueries;
  readonly #drizzles = new WeakMap<PoolClient, NodePgDatabase>();

  /**
   * @param pool - the pool
   * @param options - the checked options
   * @param target - the server and schema, described without the password
   */
  constructor(pool: Pool, options: ResolvedOptions, target: Target) {
    this.pool = pool;
    this.options = options;
    this.target = target;
    this.sql = createStatements(options.schema);
    this.tables = defineTables(options.schema);
    this.channel = channelOf(options.schema);
    this.ownerLocks = `hubline:owners:${options.schema}`;
    this.capacityLocks = `hubline:capacity:${options.schema}`;
    this.slotLocks = `hubline:slots:${options.schema}`;
    this.pooled = clientRunner(pool, true);
    this.db = drizzle({ client: pool });
    this.cold = new ColdQueries(this.tables);
  }

  /**
   * Runs one statement on the pool.
   *
   * @param action - the public call, for the error message
   * @param statement - the statement
   * @param values - its parameters
   */
  async query<R>(action: string, statement: Statement, values: readonly unknown[]): Promise<R[]> {
    try {
      return await this.pooled.rows<R>(statement, values);
    } catch (error) {
      throw this.failure(error, action);
    }
  }

  /**
   * Runs `body` in a transaction on a connection of the pool (`READ COMMITTED`), begun with a read of the clock
   * row (and `opening`, when given, in the same round trip): committed when it returns (unless it committed
   * through `closing`), rolled back when it throws. Storage failures surface as {@link StorageError}; Hubline
   * errors pass through.
   *
   * @param action - the public call, for the error message
   * @param body - the work
   * @param opening - the transaction's first statement, run with `BEGIN`
   */
  async transaction<T>(
    action: string,
    body: (tx: StoreTransaction) => Promise<T>,
    opening?: Opening,
  ): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.failure(error, action);
    }
    let broken: Error | undefined;
    let committed = false;
    try {
      // One round trip: PostgreSQL's simple protocol runs the statements, the transaction is open after them.
      const text =
        opening === undefined
          ? this.sql.begin
          : `${this.sql.begin}; ${await executable(client, opening.statement, opening.values)}`;
      // Timed from here: a first use's `PREPARE` is a round trip of its own, not part of the clock sample.
      const sentAt = performance.now();
      const results = (await client.query(text)) as unknown as { rows: object[] }[];
      const row = results[1]?.rows[0] as ClockRow | undefined;
      if (row === undefined)
        throw new StorageError(`The clock row of schema "${this.options.schema}" is missing`);
      const clock = {
        highWater: row.highWater,
        serverNow: row.serverNow,
        sentAt,
        receivedAt: performance.now(),
      };
      const closing: Runner = {
        rows: async <R>(statement: Statement, values: readonly unknown[]): Promise<R[]> => {
          const last = await executable(client, statement, values);
          const done = (await client.query(`${last}; COMMIT`)) as unknown as {
            rows: R[];
          }[];
          committed = true;
          return done[0]!.rows;
        },
      };
      const result = await body({
        runner: clientRunner(client, true),
        db: this.#drizzleOf(client),
        clock,
        opened: opening === undefined ? undefined : results[2]!.rows,
        closing,
      });
      if (!committed) await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: Error) => {
        broken = rollback;
      });
      throw this.failure(error, action);
    } finally {
      // A connection that could not roll back is destroyed rather than handed to the next caller.
      client.release(broken);
    }
  }

  /**
   * The error to throw for a failure while doing `action`: Hubline errors as they are, anything else as a
   * {@link StorageError} without the password, logged.
   *
   * @param error - what was thrown
   * @param action - the public call
   */
  failure(error: unknown, action: string): Error {
    const wrapped = toStorageError(error, action, this.target.description, this.target.secret);
    if (isHublineError(wrapped, 'STORAGE_FAILED')) {
      this.options.logger.error(wrapped.message, { action });
    }
    return wrapped;
  }

  /** drizzle on a pooled connection, made once per connection. */
  #drizzleOf(client: PoolClient): NodePgDatabase {
    let db = this.#drizzles.get(client);
    if (db === undefined) {
      db = drizzle({ client });
      this.#drizzles.set(client, db);
    }
    return db;
  }
}

/**
 * The `LISTEN`/`NOTIFY` channel of a schema: `hubline:<schema>`, or, past PostgreSQL's 63-byte limit on channel
 * names, `hubline:` and a hash of the schema.
 */
function channelOf(schema: string): string {
  const channel = `hubline:${schema}`;
  return channel.length <= 63
    ? channel
    : `hubline:${createHash('sha1').update(schema).digest('hex').slice(0, 32)}`;
}

/** The clock columns a statement reads along with its answer. */
export interface ClockFields {
  /** See {@link ClockRow.highWater}. */
  readonly highWater: number;
  /** See {@link ClockRow.serverNow}. */
  readonly serverNow: number;
}

/** The clock row of a statement's answer, timed from `sentAt` to now. */
export function clockRowOf(row: ClockFields, sentAt: number): ClockRow {
  return { highWater: row.highWater, serverNow: row.serverNow, sentAt, receivedAt: performance.now() };
}
