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
  /** Read every status again and emit those that changed. */
  refresh(): void;
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

  const refreshAccounts = (): readonly SyncStatus[] => {
    const previous = statuses.getValue();
    const byAccount: Record<string, SyncStatus> = {};
    let changed = false;
    for (const [account, lane] of sources.lanes) {
      const next = lane.status();
      const last = previous[account];
      byAccount[account] = last !== undefined && sameStatus(last, next) ? last : next;
      changed ||= byAccount[account] !== last;
    }
    if (changed || Object.keys(byAccount).length !== Object.keys(previous).length) statuses.next(byAccount);
    return Object.values(byAccount);
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
    refresh() {
      if (status.closed) return;
      const accounts = refreshAccounts();
      const next = engineWide() ?? engineStatusOf(accounts);
      if (!sameStatus(status.getValue(), next)) status.next(next);
    },
    complete() {
      status.complete();
      statuses.complete();
    },
  };
}
