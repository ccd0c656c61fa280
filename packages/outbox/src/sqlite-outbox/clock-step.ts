import { decideClockStep } from '@hubline/core/store';
import { type EntryTuple, rowOfTuple, rowToState } from '../storage/projection.js';
import { CHUNK } from './chunk.js';
import type { OutboxConnection } from './connection.js';
import { appendTo, pushProjection } from './log-rows.js';

/**
 * Absorbs a step back of the wall clock, inside the caller's transaction: every entry still waiting (a pending
 * entry's next attempt, a leased entry's lease end, later than `now`) gets a `ClockSteppedBack` event that moves
 * its wait back by `stepMs`, and every budget pause and slot stamped after `now` moves back as much. Nothing already in a history changes:
 * each event keeps the time the clock said when it happened.
 *
 * @param connection - the outbox's connection, in a write transaction
 * @param now - the clock's reading after the step
 * @param stepMs - how far it went back
 * @returns how many entries moved
 */
export function absorbClockStep(connection: OutboxConnection, now: number, stepMs: number): number {
  const { sql } = connection;
  const rks = sql.waitingAfter.all(now) as number[];
  for (let from = 0; from < rks.length; from += CHUNK) {
    const log: unknown[] = [];
    const projections: unknown[] = [];
    for (const tuple of sql.selectStatesByRks.all<EntryTuple>(rks.slice(from, from + CHUNK))) {
      const row = rowOfTuple(tuple);
      const before = rowToState(row);
      const state = appendTo(log, row.rk, row.version, before, decideClockStep(before, now, stepMs));
      projections.push(row.rk);
      pushProjection(projections, state, row.version + 1);
    }
    sql.insertEvents.run(log);
    sql.updateProjectionMany.run(projections);
  }
  sql.shiftBudgets.run(stepMs, now);
  sql.shiftSlots.run(stepMs, now);
  return rks.length;
}
