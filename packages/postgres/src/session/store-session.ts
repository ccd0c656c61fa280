import pg from 'pg';
import { clientRunner } from '../storage/runner.js';
import type { StoreContext } from '../storage/store-context.js';
import { toStorageError } from '../storage/to-storage-error.js';

/** How long, by the monotonic clock, before the session tries again to hold an owner another session holds. */
const RETRY_HOLD_MS = 1_000;

/**
 * The store's own session: one connection outside the pool, kept for the store's lifetime. It holds a
 * session-level advisory lock for every lease owner this store has claimed for, so that when the session ends
 * (the process died, its machine went away, `close()`), PostgreSQL frees the locks and the next claim anywhere
 * takes those leases over at once instead of after they run out. It also `LISTEN`s on the schema's channel, for
 * the wake-up signal.
 *
 * A session that breaks is replaced at the next claim or `nextDueIn`; its owners are held again as they claim.
 */
export class StoreSession {
  readonly #context: StoreContext;
  readonly #onNotification: (payload: string) => void;
  #client: pg.Client | undefined;
  #opening: Promise<pg.Client> | undefined;
  /** Owners whose lock this session holds. */
  readonly #held = new Set<string>();
  /** Owners another session held when this one tried, with when it tried (monotonic ms). */
  readonly #heldElsewhere = new Map<string, number>();
  #closed = false;

  /**
   * @param context - the store's context
   * @param onNotification - called with each notification's payload on the schema's channel
   */
  constructor(context: StoreContext, onNotification: (payload: string) => void) {
    this.#context = context;
    this.#onNotification = onNotification;
  }

  /**
   * The session's connection, opened (and listening) when there is none.
   *
   * @param action - the public call, for the error message
   */
  async connection(action: string): Promise<pg.Client> {
    if (this.#client !== undefined) return this.#client;
    this.#opening ??= this.#open().finally(() => {
      this.#opening = undefined;
    });
    try {
      return await this.#opening;
    } catch (error) {
      throw this.#context.failure(error, action);
    }
  }

  /**
   * Makes sure this session holds `owner`'s lock before a claim for it, and records the owner, so that other
   * stores can tell when its session is gone. When another live session holds the lock (the same owner name in
   * two stores), the claim goes ahead without it and the session tries again a second later.
   *
   * @param owner - the claiming owner
   * @param now - the store's time, recorded with the owner
   * @returns `true` when this session has just taken the lock: no live session held it, so any lease still held
   *   under this owner's name is a dead holder's (a killed engine restarting under its old name), to take over
   */
  async hold(owner: string, now: number): Promise<boolean> {
    if (this.#held.has(owner) && this.#client !== undefined) return false;
    const triedAt = this.#heldElsewhere.get(owner);
    if (triedAt !== undefined && performance.now() - triedAt < RETRY_HOLD_MS) return false;
    const client = await this.connection('claim');
    const { sql, ownerLocks } = this.#context;
    const runner = clientRunner(client, true);
    try {
      const [row] = await runner.rows<{ held: boolean }>(sql.holdOwner, [ownerLocks, owner]);
      // A claim elsewhere may hold the lock for the moment of a takeover: wait that out (lock_timeout 1 s).
      const held = row?.held === true || (await this.#waitFor(client, owner));
      if (!held) {
        this.#heldElsewhere.set(owner, performance.now());
        this.#context.options.logger.warn(
          'another live session holds this lease owner; claiming without it',
          {
            owner,
          },
        );
        return false;
      }
      this.#heldElsewhere.delete(owner);
      this.#held.add(owner);
      await runner.rows(sql.registerOwner, [owner, now]);
      return true;
    } catch (error) {
      throw this.#context.failure(error, 'claim');
    }
  }

  /** Ends the session: PostgreSQL frees its owners' locks. */
  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client ?? (await this.#opening?.catch(() => undefined));
    this.#client = undefined;
    this.#held.clear();
    await client?.end().catch(() => undefined);
  }

  async #open(): Promise<pg.Client> {
    const { pool, options } = this.#context;
    const config =
      options.connectionString === undefined ? pool.options : { connectionString: options.connectionString };
    const client = new pg.Client({ ...config, keepAlive: true });
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, undefined));
    client.on('notification', (message) => {
      if (message.channel === this.#context.channel && message.payload !== undefined) {
        this.#onNotification(message.payload);
      }
    });
    await client.connect();
    try {
      await client.query("SET lock_timeout = '1s'");
      await client.query(`LISTEN "${this.#context.channel}"`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      throw new Error('the store is closed');
    }
    this.#client = client;
    return client;
  }

  /** Waits up to the session's lock timeout for `owner`'s lock; `false` when another session keeps it. */
  async #waitFor(client: pg.Client, owner: string): Promise<boolean> {
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', [
        this.#context.ownerLocks,
        owner,
      ]);
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === '55P03') return false;
      throw error;
    }
  }

  /** Forgets a session that broke or ended: its locks are gone with it. */
  #lost(client: pg.Client, error: Error | undefined): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#held.clear();
    if (!this.#closed) {
      const { description, secret } = this.#context.target;
      this.#context.options.logger.warn(
        'the store session ended; its lease owners are free until they claim again',
        {
          reason:
            error === undefined ? 'ended' : toStorageError(error, 'session', description, secret).message,
        },
      );
    }
  }
}
