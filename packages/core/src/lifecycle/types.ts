/** Where an outbox entry stands in its delivery. `delivered`, `dead` and `evicted` are terminal until requeued (dead only). */
export type EntryStatus = 'pending' | 'leased' | 'delivered' | 'dead' | 'evicted';

/**
 * One fact in an entry's delivery story. Every event carries its own time `at` (epoch ms); the reducer
 * never reads a clock.
 */
export type LifecycleEvent =
  | { readonly type: 'Recorded'; readonly at: number; readonly bytes: number }
  | { readonly type: 'Claimed'; readonly at: number; readonly owner: string; readonly leaseUntil: number }
  | {
      readonly type: 'Delivered';
      readonly at: number;
      readonly owner: string;
      readonly alreadyExisted: boolean;
    }
  | {
      readonly type: 'Failed';
      readonly at: number;
      readonly owner: string;
      readonly reason: string;
      readonly status?: number;
      /** Whether this failure uses up one of `maxAttempts`. */
      readonly countsAsAttempt: boolean;
      readonly nextAttemptAt: number;
    }
  | {
      readonly type: 'DeadLettered';
      readonly at: number;
      readonly owner?: string;
      readonly category: string;
      readonly message: string;
      readonly status?: number;
    }
  | { readonly type: 'Requeued'; readonly at: number; readonly by?: string }
  | { readonly type: 'LeaseExpired'; readonly at: number; readonly owner: string }
  | { readonly type: 'Evicted'; readonly at: number; readonly reason: string };

/** The names of the lifecycle event types. */
export type LifecycleEventType = LifecycleEvent['type'];

/** The projection of one entry: the fold of its lifecycle events. */
export interface EntryState {
  readonly status: EntryStatus;
  /** Attempts used (only failures with `countsAsAttempt`). */
  readonly attempts: number;
  readonly recordedAt: number;
  readonly bytes: number;
  /** Earliest time the entry may be claimed again (pending entries). */
  readonly nextAttemptAt: number;
  readonly leaseOwner: string | null;
  readonly leaseUntil: number | null;
  /** The last failure or dead-letter reason, HubSpot's words where it gave any. */
  readonly lastError: string | null;
  readonly updatedAt: number;
}
