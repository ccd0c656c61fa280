import { decodeEvent, type HistoryRecord } from '@hubline/core/store';

/** One row of an entry's history as `historyOf` reads it: the entry's own `Recorded` columns, and a lifecycle row. */
export interface HistoryRow {
  /** The entry's record time. */
  readonly recordedAt: number;
  /** Its `Recorded` event's bytes, when its row keeps that event (recorded since migration 0003). */
  readonly recordedBytes: number | null;
  /** The lifecycle row's place in the log, `NULL` when the entry has no lifecycle row. */
  readonly seq: number | null;
  /** The lifecycle event's type. */
  readonly type: string | null;
  /** When it happened. */
  readonly at: number | null;
  /** Its data, as the lifecycle codec wrote it. */
  readonly data: string | null;
}

/**
 * An entry's history from its rows, in order: the `Recorded` event its own row keeps (`seq` 1), when it keeps
 * one, then its lifecycle rows. Nothing for no rows (an unknown id).
 *
 * @param rows - the rows, lifecycle rows in `seq` order
 */
export function historyRecords(rows: readonly HistoryRow[]): HistoryRecord[] {
  const first = rows[0];
  if (first === undefined) return [];
  const records: HistoryRecord[] = [];
  if (first.recordedBytes !== null) {
    records.push({ seq: 1, event: { type: 'Recorded', at: first.recordedAt, bytes: first.recordedBytes } });
  }
  for (const row of rows) {
    if (row.seq !== null) records.push({ seq: row.seq, event: decodeEvent(row.type!, row.at!, row.data!) });
  }
  return records;
}
