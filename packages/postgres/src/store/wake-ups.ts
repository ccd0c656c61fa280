/**
 * How long after a record's own notification the records that follow are counted rather than each notified: the
 * first of a burst wakes the other stores' engines with its commit, the rest together when the window ends.
 * Engines linger `batchDelayMs` (200 ms by default) after a wake-up anyway, and a store's own engines hear of its
 * records at once through `changes$`.
 */
export const WAKE_UP_WINDOW_MS = 50;

/** How long `close()` waits for the last coalesced notification to go out. */
const CLOSE_WAIT_MS = 2_000;

/**
 * The `NOTIFY`s of one store's own records, coalesced. A notification costs more than its statement: PostgreSQL
 * queues it at commit and wakes every listening session, this store's own among them, which then hands it to
 * this process only for it to be skipped. Recording one event at a time, that chain was a sizeable share of each
 * record.
 */
export class WakeUps {
  readonly #send: (count: number) => Promise<void>;
  readonly #now: () => number;
  #lastAt = Number.NEGATIVE_INFINITY;
  #pending = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  /**
   * @param send - notifies the other stores that `count` entries were recorded; never rejects (it logs)
   * @param now - a monotonic clock, ms
   */
  constructor(send: (count: number) => Promise<void>, now: () => number = () => performance.now()) {
    this.#send = send;
    this.#now = now;
  }

  /** Whether the record about to commit notifies with its commit; if not, {@link WakeUps.defer} its count. */
  takeTurn(): boolean {
    const now = this.#now();
    if (this.#timer !== undefined || now - this.#lastAt < WAKE_UP_WINDOW_MS) return false;
    this.#lastAt = now;
    return true;
  }

  /**
   * A record that did not take its turn committed `count` new entries: they are notified when the window ends.
   *
   * @param count - entries recorded
   */
  defer(count: number): void {
    // A record that ends after `close` is left to the other engines' next poll: the connections are gone.
    if (count <= 0 || this.#closed) return;
    this.#pending += count;
    if (this.#timer !== undefined) return;
    const delay = Math.max(0, this.#lastAt + WAKE_UP_WINDOW_MS - this.#now());
    this.#timer = setTimeout(() => void this.#flush(), delay);
    // A process with nothing else to do may exit; `close` sends what is pending.
    this.#timer.unref?.();
  }

  /**
   * Sends what is pending now, and stops the timer: the store is closing. Waits for the send at most
   * {@link CLOSE_WAIT_MS}: a server out of reach must not hold `close()` up (the other engines poll).
   */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    let gaveUp: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.#flush(),
      new Promise<void>((resolve) => {
        gaveUp = setTimeout(resolve, CLOSE_WAIT_MS);
      }),
    ]);
    clearTimeout(gaveUp);
  }

  async #flush(): Promise<void> {
    this.#timer = undefined;
    const count = this.#pending;
    this.#pending = 0;
    this.#lastAt = this.#now();
    if (count > 0) await this.#send(count);
  }
}
