/** What one engine counted since it was created, and its recent delivery rate. */
export interface EngineCounters {
  /** HTTP requests sent (batches, read-backs, bisection and auth retries). */
  requests: number;
  /** 429 answers received. */
  rateLimited: number;
  /** Events settled to be tried again later. */
  retries: number;
  /** Events delivered. */
  delivered: number;
  /** Events dead-lettered. */
  dead: number;
  /** Events whose attempts are used up while HubSpot may have them, being confirmed by read-back (a gauge). */
  confirming: number;
  /** Record `count` deliveries at time `now` for the rate. */
  addDelivered(count: number, now: number): void;
  /** Events delivered per second over the window ending at `now`. */
  deliveryRate(now: number): number;
}

/**
 * Create zeroed counters. The rate keeps one sample per delivering batch inside the window only, so its memory
 * is bounded by the requests a window can hold, not by the backlog.
 *
 * @param windowMs - the delivery-rate window
 */
export function createEngineCounters(windowMs: number): EngineCounters {
  const samples: { at: number; count: number }[] = [];
  const prune = (now: number): void => {
    let stale = 0;
    while (stale < samples.length && samples[stale]!.at <= now - windowMs) stale += 1;
    if (stale > 0) samples.splice(0, stale);
  };
  return {
    requests: 0,
    rateLimited: 0,
    retries: 0,
    delivered: 0,
    dead: 0,
    confirming: 0,
    addDelivered(count, now) {
      this.delivered += count;
      samples.push({ at: now, count });
      prune(now);
    },
    deliveryRate(now) {
      prune(now);
      let total = 0;
      for (const sample of samples) total += sample.count;
      return total / (windowMs / 1000);
    },
  };
}

/** What the engine's stats read of its counters. */
export type CountersView = Readonly<
  Pick<EngineCounters, 'requests' | 'rateLimited' | 'retries' | 'delivered' | 'dead' | 'confirming'>
> & {
  /** Events delivered per second over the window ending at `now`. */
  deliveryRate(now: number): number;
};

/**
 * The sum of several accounts' counters, read when asked (the accounts come and go as the engine learns of them).
 *
 * @param list - the counters to add up, read anew each time
 */
export function sumCounters(list: () => Iterable<EngineCounters>): CountersView {
  const total = (
    field: 'requests' | 'rateLimited' | 'retries' | 'delivered' | 'dead' | 'confirming',
  ): number => {
    let sum = 0;
    for (const counters of list()) sum += counters[field];
    return sum;
  };
  return {
    get requests() {
      return total('requests');
    },
    get rateLimited() {
      return total('rateLimited');
    },
    get retries() {
      return total('retries');
    },
    get delivered() {
      return total('delivered');
    },
    get dead() {
      return total('dead');
    },
    get confirming() {
      return total('confirming');
    },
    deliveryRate(now) {
      let sum = 0;
      for (const counters of list()) sum += counters.deliveryRate(now);
      return sum;
    },
  };
}
