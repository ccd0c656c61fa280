import type { TimelineEvent } from '../event/types.js';

/** Where an outbox entry stands in its delivery. `delivered`, `dead` and `evicted` are terminal until requeued (dead only). */
export type EntryStatus = 'pending' | 'leased' | 'delivered' | 'dead' | 'evicted';

/**
 * One fact in an entry's delivery story. Every event carries its own time `at` (epoch ms); the reducer
 * never reads a clock.
 */
export type LifecycleEvent =
  /** The event was written to the outbox: pending, due at once. */
  | {
      readonly type: 'Recorded';
      /** Record time, epoch ms. */
      readonly at: number;
      /** UTF-8 size of the stored event's JSON. */
      readonly bytes: number;
    }
  /** An engine leased the entry to send it. */
  | {
      readonly type: 'Claimed';
      /** Claim time, epoch ms. */
      readonly at: number;
      /** Who holds the lease (an engine or process id). */
      readonly owner: string;
      /** When the lease runs out, epoch ms; after it another engine may take the entry over. */
      readonly leaseUntil: number;
    }
  /** HubSpot has the event. */
  | {
      readonly type: 'Delivered';
      /** Settle time, epoch ms. */
      readonly at: number;
      /** Who held the lease. */
      readonly owner: string;
      /** Whether HubSpot said the id already existed (sent before, answer lost) rather than creating it now. */
      readonly alreadyExisted: boolean;
      /**
       * What proved it: HubSpot's batch response naming the id in its `results`, an "already exists" verdict for
       * it, or a read-back that found it. Absent in logs written before Hubline recorded the evidence.
       */
      readonly evidence?: DeliveryEvidence;
    }
  /** An attempt failed; the entry is pending again from `nextAttemptAt`. */
  | {
      readonly type: 'Failed';
      /** Settle time, epoch ms. */
      readonly at: number;
      /** Who held the lease. */
      readonly owner: string;
      /** Why it failed, HubSpot's words where it gave any. */
      readonly reason: string;
      /** HTTP status, when HubSpot answered. */
      readonly status?: number;
      /** Whether this failure uses up one of `maxAttempts`. */
      readonly countsAsAttempt: boolean;
      /**
       * Present when HubSpot may have the event after all (a 5xx, a timeout, a 2xx that is not HubSpot's batch
       * answer): the entry is then in doubt until a later answer or a read-back settles it. Absent when HubSpot
       * did not take it (a 429, offline, a cancelled batch).
       */
      readonly outcomeUnknown?: true;
      /** Earliest time of the next attempt, epoch ms; `decideFailure` never writes one before `at`. */
      readonly nextAttemptAt: number;
    }
  /** The lease holder gave the entry back unsent (it paused, it is stopping, or the batch left without it). */
  | {
      readonly type: 'Released';
      /** The time, epoch ms. */
      readonly at: number;
      /** Who held the lease. */
      readonly owner: string;
      /** Why it was given back: see {@link ReleaseReason}. */
      readonly reason: ReleaseReason;
      /** The holder's words, e.g. `rate-limited: HubSpot answered 429 on another batch`. */
      readonly detail: string;
      /** Earliest time of the next attempt, epoch ms; `decideRelease` never writes one before `at`. */
      readonly nextAttemptAt: number;
    }
  /** HubSpot definitively refused the event, or its attempts ran out: it waits for a person. */
  | {
      readonly type: 'DeadLettered';
      /** The time, epoch ms. */
      readonly at: number;
      /** Who held the lease; absent for a decision made without one (an operator, the attempt policy). */
      readonly owner?: string;
      /** HubSpot's error category, or Hubline's (`MAX_ATTEMPTS`). */
      readonly category: string;
      /** HubSpot's message, or why Hubline gave up. */
      readonly message: string;
      /** HTTP status, when HubSpot answered. */
      readonly status?: number;
    }
  /**
   * A person changed a dead entry's event before requeueing it (a `Requeued` follows): the entry now holds the
   * amended event, and this keeps the one it replaced, so the history still says what was first recorded.
   */
  | {
      readonly type: 'Amended';
      /** The time, epoch ms. */
      readonly at: number;
      /** Who amended it, kept in the history. */
      readonly by?: string;
      /** The event as it was before this amendment. */
      readonly previous: TimelineEvent;
      /** UTF-8 size of the amended event's JSON: the entry's new `bytes`. */
      readonly bytes: number;
    }
  /** A person gave a dead entry another chance, with a fresh attempt budget. */
  | {
      readonly type: 'Requeued';
      /** The time, epoch ms. */
      readonly at: number;
      /** Who asked, kept in the history. */
      readonly by?: string;
    }
  /**
   * A lease ended without its holder settling: it ran out, or its holder's process is gone. The entry is pending
   * and due again.
   */
  | {
      readonly type: 'LeaseExpired';
      /** The time, epoch ms; not before the lease's `leaseUntil` unless `ownerGone`. */
      readonly at: number;
      /** Who held the lease that expired. */
      readonly owner: string;
      /**
       * Present when the store ended the lease early because the process holding it is gone (killed, crashed, its
       * machine restarted), so that its events need not wait out the lease.
       */
      readonly ownerGone?: true;
    }
  /**
   * The store found its clock had stepped back (an NTP correction, a dead RTC battery, a person setting the
   * time) and moved the entry's next attempt, or its lease's end, back by as much: the entry waits no longer
   * than it would have. `at` is what the clock said after the step.
   */
  | {
      readonly type: 'ClockSteppedBack';
      /** The time, epoch ms, as the clock read after the step. */
      readonly at: number;
      /** How far the clock went back, ms; positive. */
      readonly stepMs: number;
    }
  /**
   * The entry was dropped: to make room (capacity policy `evict-oldest`), or with its account (`discard`), which
   * drops dead letters too.
   */
  | {
      readonly type: 'Evicted';
      /** The time, epoch ms. */
      readonly at: number;
      /** Which limit made room necessary, or why the account was discarded. */
      readonly reason: string;
    };

/** Why a lease holder gave an entry back unsent. */
export type ReleaseReason =
  /** The holder paused (rate-limited, offline, unauthorized) before sending it. */
  | 'paused'
  /** The holder is stopping. */
  | 'stopping'
  /** The batch it was claimed for left without it (a smaller request after a 413, a page cut short). */
  | 'not-sent';

/** What proved an event delivered. */
export type DeliveryEvidence =
  /** HubSpot's batch response named the id in its `results`. */
  | 'result'
  /** HubSpot answered that the id already exists. */
  | 'already-exists'
  /** A read-back (`GET` of the event) found it. */
  | 'read-back';

/** The names of the lifecycle event types. */
export type LifecycleEventType = LifecycleEvent['type'];

/** The projection of one entry: the fold of its lifecycle events. */
export interface EntryState {
  /** Where the entry stands: pending, leased, or one of the terminal statuses. */
  readonly status: EntryStatus;
  /** Attempts used (only failures with `countsAsAttempt`). */
  readonly attempts: number;
  /** When the entry was recorded, epoch ms. */
  readonly recordedAt: number;
  /** UTF-8 size of the stored event's JSON, for the outbox's byte cap. */
  readonly bytes: number;
  /** Earliest time the entry may be claimed again (pending entries). */
  readonly nextAttemptAt: number;
  /** Who holds the lease while the entry is leased, else `null`. */
  readonly leaseOwner: string | null;
  /** When that lease runs out, epoch ms, while the entry is leased, else `null`. */
  readonly leaseUntil: number | null;
  /** The last failure or dead-letter reason, HubSpot's words where it gave any. */
  readonly lastError: string | null;
  /** The time of the entry's last lifecycle event, epoch ms (it may go back when a device clock does). */
  readonly updatedAt: number;
  /**
   * Whether HubSpot may have the event although no answer proved it: true after a `Failed` with
   * `outcomeUnknown`; false after any other `Failed`, `Delivered` and `Requeued`; kept by the other events.
   */
  readonly inDoubt: boolean;
}
