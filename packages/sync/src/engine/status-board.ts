import { BehaviorSubject, distinctUntilChanged, map, type Observable } from 'rxjs';
import type { AccountLane } from './account-lane.js';
import type { PauseState } from './pauses.js';
import { deriveStatus, engineStatusOf, sameStatus } from './status.js';
import type { SyncStatus } from './types.js';

/** What the engine's statuses are read from. */
export interface StatusSources {
  /** The lanes, by account. */
  readonly lanes: ReadonlyMap<string, AccountLane>;
  /** The engine's own pause (the network). */
  readonly network: PauseState;
  /** Now, by the engine's scheduler. */
  now(): number;
  /** Whether the engine has stopped. */
  stopped(): boolean;
  /** Whether the host says it is online. */
  hostOnline(): boolean;
}

/** The engine's status streams: one per account and the engine's aggregate. */
export interface StatusBoard {
  /** The engine's status: stopped or offline for every account, else the aggregate of the lanes'. */
  readonly status$: Observable<SyncStatus>;
  /** Every account's status, by account. */
  readonly statuses$: Observable<Readonly<Record<string, SyncStatus>>>;
  /** One account's status; `idle` while it has no lane. */
  statusOf$(account: string): Observable<SyncStatus>;
  /**
   * Read the statuses again and emit those that changed: one account's, when only its lane changed (the cost stays
   * flat however many accounts there are), or every one's.
   */
  refresh(account?: string): void;
  /** Complete every stream (the engine stopped). */
  complete(): void;
}

/**
 * Create the engine's status board. A status is emitted only when it differs from the last one
 * ({@link sameStatus}), so subscribers see transitions, not ticks.
 *
 * @param sources - the lanes and the engine-wide facts statuses derive from
 */
export function createStatusBoard(sources: StatusSources): StatusBoard {
  const status = new BehaviorSubject<SyncStatus>({ state: 'idle' });
  const statuses = new BehaviorSubject<Readonly<Record<string, SyncStatus>>>({});

  /** Whether any account's status changed. */
  const refreshAccounts = (): boolean => {
    const previous = statuses.getValue();
    const byAccount: Record<string, SyncStatus> = {};
    let changed = false;
    for (const [account, lane] of sources.lanes) {
      const next = lane.status();
      const last = previous[account];
      byAccount[account] = last !== undefined && sameStatus(last, next) ? last : next;
      changed ||= byAccount[account] !== last;
    }
    changed ||= Object.keys(byAccount).length !== Object.keys(previous).length;
    if (changed) statuses.next(byAccount);
    return changed;
  };

  /** Whether `account`'s status changed. */
  const refreshAccount = (account: string): boolean => {
    const lane = sources.lanes.get(account);
    if (lane === undefined) return false;
    const previous = statuses.getValue();
    const last = previous[account];
    const next = lane.status();
    if (last !== undefined && sameStatus(last, next)) return false;
    statuses.next({ ...previous, [account]: next });
    return true;
  };

  /** The status every account shares when the engine itself holds them all, if it does. */
  const engineWide = (): SyncStatus | undefined => {
    const { network } = sources;
    const stopped = sources.stopped();
    const hostOnline = sources.hostOnline();
    if (!stopped && network.current === undefined && hostOnline) return undefined;
    return deriveStatus({
      now: sources.now(),
      stopped,
      pause: network.current,
      hostOnline,
      rateLimitedUntil: 0,
      rateLimitReason: '',
      inFlight: 0,
      waitingForBudget: 0,
      backingOffUntil: 0,
    });
  };

  return {
    status$: status.asObservable(),
    statuses$: statuses.asObservable(),
    statusOf$: (account) =>
      statuses.pipe(
        map((all) => all[account] ?? { state: 'idle' as const }),
        distinctUntilChanged(sameStatus),
      ),
    refresh(account) {
      if (status.closed) return;
      // A lane's change leaves the engine-wide facts as they were: the engine's status can only have changed with it.
      if (account === undefined) refreshAccounts();
      else if (!refreshAccount(account)) return;
      const next = engineWide() ?? engineStatusOf(Object.values(statuses.getValue()));
      if (!sameStatus(status.getValue(), next)) status.next(next);
    },
    complete() {
      status.complete();
      statuses.complete();
    },
  };
}
