import type { RateLimitInfo } from '@hubline/core';
import { ValidationError, type ValidationIssue } from '@hubline/core';
import { Observable, Subject, type Subscriber, type Subscription, timer } from 'rxjs';
import type { RateBudget, RateBudgetOptions, RateGrant } from '../contracts.js';
import { monotonicScheduler } from '../time/monotonic-scheduler.js';
import { fleetShare } from './fleet-share.js';

/** Defaults of {@link RateBudgetOptions}: HubSpot's limit for OAuth apps, per app and account. */
export const RATE_BUDGET_DEFAULTS = { requests: 100, windowMs: 10_000 } as const;

interface Waiter {
  readonly subscriber: Subscriber<RateGrant>;
}

/** One slot in the window: granted at `at`; while `held`, its request has not left yet. */
interface Slot {
  at: number;
  held: boolean;
}

/**
 * How many windows a grant may be held, neither used nor released, before the budget takes it back: a guard
 * against a caller that drops a grant, so a lost grant cannot shrink the budget for good.
 */
const HOLD_LIMIT_WINDOWS = 5;

/**
 * A {@link RateBudget} that lets at most `requests` acquisitions through in any `windowMs` of scheduler time.
 *
 * It keeps a sliding log of the last `requests` slots: a new grant is allowed when fewer than `requests` slots
 * count in the last `windowMs` (a request sent at `t` stops counting at `t + windowMs`). That is exactly
 * HubSpot's `TEN_SECONDLY_ROLLING` policy, where a token bucket refilled continuously would let up to twice
 * the limit into one rolling window after an idle spell. A grant is held from its acquisition until
 * {@link RateGrant.use} (it then counts from that moment, when the request really left) or
 * {@link RateGrant.release} (the slot is freed); a grant held for five windows is taken back. Waiters are served first come, first served;
 * unsubscribing from `acquire()` before it emits gives up the place. `pause()` holds every waiter, and any
 * later caller, until the pause ends. Nothing is scheduled while nobody waits, so an idle budget never keeps
 * a process alive.
 *
 * @param options - limit, window and the scheduler that supplies time.
 * @throws ValidationError when `requests` or `windowMs` is not a positive integer (the field is named).
 * @example
 * ```ts
 * const budget = createRateBudget({ requests: 100, windowMs: 10_000 });
 * budget.acquire().subscribe((grant) => {
 *   grant?.use();
 *   void send(batch);
 * });
 * // on a 429: budget.pause(10_000, 'TEN_SECONDLY_ROLLING');
 * ```
 */
export function createRateBudget(options: RateBudgetOptions = {}): RateBudget {
  const requests = options.requests ?? RATE_BUDGET_DEFAULTS.requests;
  const windowMs = options.windowMs ?? RATE_BUDGET_DEFAULTS.windowMs;
  const scheduler = options.scheduler ?? monotonicScheduler;
  const issues: ValidationIssue[] = [];
  if (!Number.isSafeInteger(requests) || requests < 1) {
    issues.push({ path: 'requests', message: `must be a positive integer, got ${String(requests)}` });
  }
  if (!Number.isSafeInteger(windowMs) || windowMs < 1) {
    issues.push({ path: 'windowMs', message: `must be a positive integer, got ${String(windowMs)}` });
  }
  if (issues.length > 0) throw new ValidationError('rate budget options', issues);

  /** Slots that still count, oldest first; never more than `requests`. */
  const slots: Slot[] = [];
  const queue: Waiter[] = [];
  const pauses = new Subject<{ readonly until: number; readonly reason: string }>();
  let pausedUntil = 0;
  let wake: { readonly at: number; readonly subscription: Subscription } | undefined;
  let draining = false;
  /** The share of HubSpot's window left for this budget, from the last rate-limit headers, until it goes stale. */
  let fleetCap: { readonly limit: number; readonly until: number } | undefined;
  /** When each request not answered yet left, oldest first: an answer is taken to be the oldest one's. */
  const unanswered: number[] = [];

  const cancelWake = (): void => {
    wake?.subscription.unsubscribe();
    wake = undefined;
  };

  const wakeAt = (at: number, now: number): void => {
    if (wake?.at === at) return;
    cancelWake();
    const subscription = timer(Math.max(0, at - now), scheduler).subscribe(() => {
      wake = undefined;
      drain();
    });
    // A timer of 0 on a synchronous scheduler may already have fired and cleared `wake`.
    if (!subscription.closed) wake = { at, subscription };
  };

  /** Drops slots that stopped counting: used ones a window after their use, held ones after the hold limit. */
  function forgetExpired(now: number): void {
    for (let index = slots.length - 1; index >= 0; index--) {
      const slot = slots[index]!;
      const lifetime = slot.held ? windowMs * HOLD_LIMIT_WINDOWS : windowMs;
      if (slot.at + lifetime <= now) slots.splice(index, 1);
    }
  }

  /** When the next slot stops counting. */
  function nextExpiry(): number | undefined {
    let earliest: number | undefined;
    for (const slot of slots) {
      const expiry = slot.at + (slot.held ? windowMs * HOLD_LIMIT_WINDOWS : windowMs);
      if (earliest === undefined || expiry < earliest) earliest = expiry;
    }
    return earliest;
  }

  function grantFor(slot: Slot): RateGrant {
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      const index = slots.indexOf(slot);
      if (index !== -1) slots.splice(index, 1);
      return true;
    };
    return {
      use() {
        if (!settle()) return;
        // The request leaves now, later than every slot granted before: the log stays in time order.
        const now = scheduler.now();
        slots.push({ at: now, held: false });
        unanswered.push(now);
      },
      release() {
        if (settle()) drain();
      },
    };
  }

  /**
   * How many slots may count now: the budget's own limit, or less while HubSpot's headers say other devices and
   * processes of the app are using the account's window too. Once that view is a window old (no answer came, or
   * a pause outlasted it), what the others do is unknown: one request at a time goes out, to read the headers
   * again, rather than a burst into a window they may have filled meanwhile.
   */
  function limitAt(now: number): number {
    if (fleetCap === undefined) return requests;
    if (now < fleetCap.until) return Math.min(requests, fleetCap.limit);
    while (unanswered.length > 0 && unanswered[0]! <= now - windowMs) unanswered.shift();
    const outstanding = unanswered.length + slots.filter((slot) => slot.held).length;
    return Math.min(requests, slots.length + (outstanding === 0 ? 1 : 0));
  }

  /** Gives the head of the queue a slot if one may count now; otherwise sets the wake-up and returns `false`. */
  function grantHead(head: Waiter): boolean {
    const now = scheduler.now();
    if (now < pausedUntil) {
      wakeAt(pausedUntil, now);
      return false;
    }
    forgetExpired(now);
    if (slots.length >= limitAt(now)) {
      const wakeTime = nextExpiry();
      if (wakeTime !== undefined) wakeAt(wakeTime, now);
      return false;
    }
    const slot: Slot = { at: now, held: true };
    slots.push(slot);
    queue.shift();
    head.subscriber.next(grantFor(slot));
    head.subscriber.complete();
    return true;
  }

  function drain(): void {
    // A waiter's `next` may call acquire() again; the loop below already picks up whatever it queued.
    if (draining) return;
    draining = true;
    try {
      for (;;) {
        const head = queue[0];
        if (head === undefined) {
          cancelWake();
          return;
        }
        if (!grantHead(head)) return;
      }
    } finally {
      draining = false;
    }
  }

  return {
    acquire(): Observable<RateGrant> {
      return new Observable<RateGrant>((subscriber) => {
        const waiter: Waiter = { subscriber };
        queue.push(waiter);
        drain();
        return () => {
          const index = queue.indexOf(waiter);
          if (index === -1) return;
          queue.splice(index, 1);
          if (queue.length === 0) cancelWake();
        };
      });
    },

    pause(delayMs: number, reason: string): void {
      if (!(delayMs > 0)) return;
      const until = scheduler.now() + delayMs;
      if (!(until > pausedUntil)) return;
      pausedUntil = until;
      pauses.next({ until, reason });
      drain();
    },

    pausedUntil(): number {
      return pausedUntil > scheduler.now() ? pausedUntil : 0;
    },

    paused$: pauses.asObservable(),

    observe(info: RateLimitInfo): void {
      const { max, remaining, intervalMs } = info;
      if (max === undefined || remaining === undefined || intervalMs === undefined || max < 1) return;
      const now = scheduler.now();
      forgetExpired(now);
      // A request that got no answer (a failed transport) stops being awaited after a window.
      while (unanswered.length > 0 && unanswered[0]! <= now - intervalMs) unanswered.shift();
      const answered = unanswered.shift() ?? now;
      const counting = slots.filter((slot) => !slot.held && slot.at > now - intervalMs);
      const limit = fleetShare({
        max,
        remaining,
        counted: counting.filter((slot) => slot.at <= answered).length,
        mine: slots.length,
        pending: unanswered.length,
      });
      fleetCap = { limit, until: now + intervalMs };
      drain();
    },
  };
}
