import { decideExpire } from '@hubline/core/store';
import { isProcessGone } from '../owners/is-process-gone.js';
import { currentProcess, type ProcessIdentity } from '../owners/process-identity.js';
import { Counts } from '../storage/counts.js';
import { type EntryTuple, rowOfTuple, rowToState } from '../storage/projection.js';
import type { OutboxConnection } from './connection.js';
import { appendTo, pushProjection } from './log-rows.js';

/** How often, by the outbox's clock, a connection's claims look for owners whose process is gone. */
const SWEEP_INTERVAL_MS = 1_000;

/** An `owners` row. */
interface OwnerRow extends ProcessIdentity {
  readonly owner: string;
}

/**
 * The lease owners this connection knows, and the takeover of the leases of owners whose process is gone.
 *
 * Each owner's process is recorded the first time this connection claims for it. A claim then looks, at most
 * once a second, at the recorded owners of this machine, and takes over at once the running leases of any whose
 * process is gone (`LeaseExpired` with `ownerGone`), so that the events a killed engine held are due again
 * within seconds of a restart instead of after its lease. The cost on the claim path is a set lookup and a
 * clock comparison; the owners table (a row per engine that ever claimed on this file and is not known to be
 * gone) is read once a second.
 */
export class LeaseOwners {
  readonly #connection: OutboxConnection;
  readonly #me = currentProcess();
  /** Owners this connection recorded. */
  readonly #registered = new Set<string>();
  #sweptAt = Number.NEGATIVE_INFINITY;

  /** @param connection - the outbox's connection */
  constructor(connection: OutboxConnection) {
    this.#connection = connection;
  }

  /**
   * Runs before a claim selects due entries, inside its transaction: records `owner`'s process the first time,
   * and takes over the leases of owners whose process is gone.
   *
   * @param owner - the claiming owner
   * @param now - the claim time
   */
  beforeClaim(owner: string, now: number): void {
    const fresh = !this.#registered.has(owner);
    // A new owner name may be an old one reused by a restarted engine: look before recording it.
    if (fresh || Math.abs(now - this.#sweptAt) >= SWEEP_INTERVAL_MS) this.#sweep(now);
    if (!fresh) return;
    const { host, boot, pid, started } = this.#me;
    this.#connection.sql.registerOwner.run(owner, host, boot, pid, started);
    this.#registered.add(owner);
  }

  /**
   * Whether an owner whose process is gone still holds a running lease: such an entry is due now, whatever its
   * lease says. A read; the takeover itself waits for the next claim.
   *
   * @param now - the time
   */
  goneOwnerHoldsLease(now: number): boolean {
    const { sql } = this.#connection;
    for (const row of this.#goneOwners()) {
      if ((sql.runningLeasesOf.all(now, row.owner) as unknown[]).length > 0) return true;
    }
    return false;
  }

  #goneOwners(): OwnerRow[] {
    const rows = this.#connection.sql.listOwners.all() as OwnerRow[];
    return rows.filter((row) => !this.#registered.has(row.owner) && isProcessGone(row, this.#me));
  }

  #sweep(now: number): void {
    this.#sweptAt = now;
    for (const row of this.#goneOwners()) {
      const taken = this.#takeOver(row.owner, now);
      this.#connection.sql.forgetOwner.run(row.owner, row.pid, row.started);
      if (taken > 0) {
        this.#connection.options.logger.info('took over the leases of an owner whose process is gone', {
          owner: row.owner,
          pid: row.pid,
          entries: taken,
        });
      }
    }
  }

  /** Ends every running lease of `owner` now: `LeaseExpired` with `ownerGone`, pending and due. */
  #takeOver(owner: string, now: number): number {
    const { sql } = this.#connection;
    const log: unknown[] = [];
    const projections: unknown[] = [];
    const delta = new Counts();
    const tuples = sql.runningLeasesOf.all(now, owner) as EntryTuple[];
    for (const tuple of tuples) {
      const row = rowOfTuple(tuple);
      const before = rowToState(row);
      const state = appendTo(
        log,
        row.rk,
        row.version,
        before,
        decideExpire(before, now, { ownerGone: true }),
      );
      projections.push(row.rk);
      pushProjection(projections, state, row.version + 1);
      delta.move(row.account, before.status, state.status, row.bytes);
    }
    sql.insertEvents.run(log);
    sql.updateProjectionMany.run(projections);
    this.#connection.addCounters(delta);
    return tuples.length;
  }
}
