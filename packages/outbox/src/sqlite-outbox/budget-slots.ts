import { type BudgetTake, type BudgetWindow, decideTake, HELD_SLOT_WINDOWS } from '@hubline/core/store';
import type Database from 'better-sqlite3';
import type { OutboxConnection } from './connection.js';

/** The statements of the `budget_slots` table, prepared on the first slot taken. */
interface SlotStatements {
  /** Forgets the slots that stopped counting: key, used before, held before. */
  readonly forgetEnded: Database.Statement;
  /** Every slot of a key that still counts: at, used per row. */
  readonly slotsOf: Database.Statement;
  /** A held slot: key, at. */
  readonly hold: Database.Statement;
  /** Marks a slot used from now, or counts an unknown one from now: slot, key, at. */
  readonly use: Database.Statement;
  /** Frees a held slot: slot, key. */
  readonly giveBack: Database.Statement;
}

function prepareSlotStatements(db: Database.Database): SlotStatements {
  return {
    forgetEnded: db.prepare(
      'DELETE FROM budget_slots WHERE key = ? AND ((used = 1 AND at <= ?) OR (used = 0 AND at <= ?))',
    ),
    slotsOf: db.prepare('SELECT at, used FROM budget_slots WHERE key = ?'),
    hold: db.prepare('INSERT INTO budget_slots (key, at, used) VALUES (?, ?, 0)'),
    use: db.prepare(
      `INSERT INTO budget_slots (slot, key, at, used) VALUES (?, ?, ?, 1)
       ON CONFLICT (slot) DO UPDATE SET at = excluded.at, used = 1 WHERE budget_slots.key = excluded.key`,
    ),
    giveBack: db.prepare('DELETE FROM budget_slots WHERE slot = ? AND key = ? AND used = 0'),
  };
}

/** A slot's row key, or `null` for a slot this file never gave (a new row then counts the use). */
function slotKey(slot: string): number | null {
  return /^[1-9][0-9]{0,15}$/.test(slot) ? Number(slot) : null;
}

/**
 * The sliding windows of the budgets, in the outbox file (`budget_slots`): every process on the file takes its
 * slots from the same rows, inside `BEGIN IMMEDIATE` transactions, so together they keep each account's limit.
 * Core's `decideTake` decides; this keeps the rows.
 */
export class BudgetSlots {
  readonly #connection: OutboxConnection;
  #sql: SlotStatements | undefined;

  /** @param connection - the outbox's connection */
  constructor(connection: OutboxConnection) {
    this.#connection = connection;
  }

  /**
   * Takes a slot of `key`'s window, or says how long to wait. Arguments checked already.
   *
   * @param key - the budget's key
   * @param window - the limit
   */
  take(key: string, window: BudgetWindow): BudgetTake {
    const connection = this.#connection;
    const sql = this.#statements();
    return connection.write('budgets.take', () => {
      const now = connection.observeClock();
      sql.forgetEnded.run(key, now - window.windowMs, now - HELD_SLOT_WINDOWS * window.windowMs);
      const slots = (sql.slotsOf.all(key) as { at: number; used: number }[]).map((row) => ({
        at: row.at,
        used: row.used === 1,
      }));
      const taken = decideTake(slots, now, window);
      if (!('slot' in taken)) return taken;
      return { slot: String(sql.hold.run(key, now).lastInsertRowid) };
    });
  }

  /**
   * Counts a slot from now. Arguments checked already.
   *
   * @param key - the budget's key
   * @param slot - what `take` gave
   */
  use(key: string, slot: string): void {
    const connection = this.#connection;
    const sql = this.#statements();
    connection.write('budgets.use', () => {
      sql.use.run(slotKey(slot), key, connection.observeClock());
    });
  }

  /**
   * Frees a held slot. Arguments checked already.
   *
   * @param key - the budget's key
   * @param slot - what `take` gave
   */
  giveBack(key: string, slot: string): void {
    const id = slotKey(slot);
    if (id === null) return;
    const sql = this.#statements();
    this.#connection.write('budgets.giveBack', () => {
      sql.giveBack.run(id, key);
    });
  }

  #statements(): SlotStatements {
    this.#sql ??= prepareSlotStatements(this.#connection.db);
    return this.#sql;
  }
}
