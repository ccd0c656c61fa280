import { CounterDelta, type EntryStatus } from '@hubline/core/store';

/**
 * One transaction's changes to the counters: the totals (the `counters` row) and each account's (its
 * `account_counters` row), written once at the end of the transaction.
 */
export class Counts {
  /** The changes to the totals. */
  readonly total = new CounterDelta();
  /** Each account's changes. */
  readonly byAccount = new Map<string, CounterDelta>();

  /**
   * Accounts for one entry moving between statuses, in its account and in the totals.
   *
   * @param account - the entry's account
   * @param from - the old status, `undefined` for a new entry
   * @param to - the new status, `undefined` for a deleted entry
   * @param bytes - the entry's size
   * @param toBytes - its size after the move, when that changed (an amended event) @default bytes
   */
  move(
    account: string,
    from: EntryStatus | undefined,
    to: EntryStatus | undefined,
    bytes: number,
    toBytes = bytes,
  ): void {
    this.total.move(from, to, bytes, toBytes);
    this.recorded(account, from, to, bytes, toBytes);
  }

  /**
   * Accounts for a move in the account only: a recorded entry, whose totals live on the newest row's running
   * totals instead of in `counters`.
   *
   * @param account - the entry's account
   * @param from - the old status, `undefined` for a new entry
   * @param to - the new status
   * @param bytes - the entry's size
   * @param toBytes - its size after the move @default bytes
   */
  recorded(
    account: string,
    from: EntryStatus | undefined,
    to: EntryStatus | undefined,
    bytes: number,
    toBytes = bytes,
  ): void {
    let delta = this.byAccount.get(account);
    if (delta === undefined) {
      delta = new CounterDelta();
      this.byAccount.set(account, delta);
    }
    delta.move(from, to, bytes, toBytes);
  }
}
