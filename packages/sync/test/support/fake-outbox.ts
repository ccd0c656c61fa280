import type { EntryState, TimelineEvent, TimelineEventInput } from '@hubline/core';
import type {
  ClaimedEntry,
  ClaimOptions,
  Eviction,
  HistoryRecord,
  Outbox,
  OutboxEntry,
  OutboxStats,
  Settlement,
  SettleResult,
} from '@hubline/outbox';
import { Subject } from 'rxjs';

interface Row {
  id: string;
  event: TimelineEvent;
  state: EntryState;
}

/** An in-memory outbox for engine unit tests: leases, due times and lost leases behave like the real one. */
export interface FakeOutbox extends Outbox {
  /** Every settle call, in order. */
  readonly settleCalls: { owner: string; settlements: readonly Settlement[] }[];
  /** Record `count` events with ids `e000`, `e001`, … (continuing the numbering). */
  seed(count: number, bytes?: number): string[];
}

/**
 * Create a fake outbox.
 *
 * @param clock - epoch-ms time source, usually the virtual scheduler's `now`
 */
export function createFakeOutbox(clock: () => number): FakeOutbox {
  const rows = new Map<string, Row>();
  const recorded = new Subject<number>();
  const evicted = new Subject<Eviction>();
  const settleCalls: { owner: string; settlements: readonly Settlement[] }[] = [];
  let counter = 0;

  const insert = (input: TimelineEventInput, bytes?: number): string => {
    const id = input.id ?? `e${String(counter).padStart(3, '0')}`;
    counter += 1;
    if (rows.has(id)) return id;
    const event: TimelineEvent = {
      eventTemplateId: String(input.eventTemplateId),
      id,
      tokens: {},
      timestamp: new Date(clock()).toISOString(),
      ...(input.email === undefined ? {} : { email: input.email }),
    };
    const size = bytes ?? JSON.stringify(event).length;
    rows.set(id, {
      id,
      event,
      state: {
        status: 'pending',
        attempts: 0,
        recordedAt: clock(),
        bytes: size,
        nextAttemptAt: clock(),
        leaseOwner: null,
        leaseUntil: null,
        lastError: null,
        updatedAt: clock(),
      },
    });
    return id;
  };

  const isClaimable = (row: Row, now: number): boolean =>
    (row.state.status === 'pending' && row.state.nextAttemptAt <= now) ||
    (row.state.status === 'leased' && (row.state.leaseUntil ?? 0) <= now);

  const outbox: FakeOutbox = {
    settleCalls,
    seed(count, bytes) {
      const ids = Array.from({ length: count }, () =>
        insert({ eventTemplateId: '1001', email: 'a@b.c' }, bytes),
      );
      recorded.next(count);
      return ids;
    },
    record(input) {
      const id = insert(input);
      recorded.next(1);
      return id;
    },
    recordMany(inputs) {
      const ids = inputs.map((input) => insert(input));
      recorded.next(ids.length);
      return ids;
    },
    claim(options: ClaimOptions): ClaimedEntry[] {
      const now = clock();
      const out: ClaimedEntry[] = [];
      let bytes = 0;
      for (const row of rows.values()) {
        if (out.length >= options.limit) break;
        if (!isClaimable(row, now)) continue;
        if (options.maxBytes !== undefined && out.length > 0 && bytes + row.state.bytes > options.maxBytes)
          break;
        bytes += row.state.bytes;
        row.state = {
          ...row.state,
          status: 'leased',
          leaseOwner: options.owner,
          leaseUntil: now + options.leaseMs,
          updatedAt: now,
        };
        // Like the real outbox, hand out the stored JSON text too (the engine's fast path for encoding).
        const entry = {
          id: row.id,
          event: row.event,
          json: JSON.stringify(row.event),
          attempts: row.state.attempts,
          bytes: row.state.bytes,
          recordedAt: row.state.recordedAt,
          leaseUntil: now + options.leaseMs,
        };
        out.push(entry);
      }
      return out;
    },
    settle(owner, settlements): SettleResult {
      settleCalls.push({ owner, settlements });
      const now = clock();
      const applied: string[] = [];
      const lost: string[] = [];
      const deadLettered: string[] = [];
      for (const settlement of settlements) {
        const row = rows.get(settlement.id);
        if (row === undefined || row.state.status !== 'leased' || row.state.leaseOwner !== owner) {
          lost.push(settlement.id);
          continue;
        }
        const base = { ...row.state, leaseOwner: null, leaseUntil: null, updatedAt: now };
        if (settlement.type === 'delivered') row.state = { ...base, status: 'delivered' };
        else if (settlement.type === 'dead') {
          row.state = { ...base, status: 'dead', lastError: settlement.message };
          deadLettered.push(settlement.id);
        } else {
          row.state = {
            ...base,
            status: 'pending',
            attempts: row.state.attempts + (settlement.countsAsAttempt ? 1 : 0),
            nextAttemptAt: settlement.nextAttemptAt,
            lastError: settlement.reason,
          };
        }
        applied.push(settlement.id);
      }
      const result = { applied, lost, deadLettered };
      return result;
    },
    nextDueAt() {
      let min: number | null = null;
      for (const row of rows.values()) {
        const due =
          row.state.status === 'pending'
            ? row.state.nextAttemptAt
            : row.state.status === 'leased'
              ? row.state.leaseUntil
              : null;
        if (due !== null && (min === null || due < min)) min = due;
      }
      return min;
    },
    get(id): OutboxEntry | undefined {
      const row = rows.get(id);
      return row === undefined ? undefined : { ...row.state, id: row.id, event: row.event };
    },
    history(): HistoryRecord[] {
      return [];
    },
    listDead() {
      return [...rows.values()]
        .filter((row) => row.state.status === 'dead')
        .map((row) => ({ ...row.state, id: row.id, event: row.event }));
    },
    requeue(ids) {
      let count = 0;
      for (const row of rows.values()) {
        if (row.state.status !== 'dead' || (ids !== 'all-dead' && !ids.includes(row.id))) continue;
        row.state = { ...row.state, status: 'pending', attempts: 0, nextAttemptAt: clock() };
        count += 1;
      }
      recorded.next(count);
      return count;
    },
    prune() {
      return 0;
    },
    stats(): OutboxStats {
      const count = (status: string) =>
        [...rows.values()].filter((row) => row.state.status === status).length;
      return {
        pending: count('pending'),
        inFlight: count('leased'),
        delivered: count('delivered'),
        dead: count('dead'),
        evicted: 0,
        oldestPendingAgeMs: 0,
        backlogBytes: 0,
      };
    },
    rebuildProjection() {},
    recorded$: recorded.asObservable(),
    evicted$: evicted.asObservable(),
    close() {
      recorded.complete();
      evicted.complete();
    },
  };
  return outbox;
}
