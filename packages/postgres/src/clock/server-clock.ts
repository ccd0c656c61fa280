/** How often the store reads the server's clock again, by this process's monotonic clock. */
const SERVER_CLOCK_RESYNC_MS = 10_000;

/**
 * The database server's wall clock as this process estimates it: the server's reading from the last sync,
 * advanced by the monotonic clock since. Every store sharing a database then stamps times from one clock, so
 * that a machine whose own clock is off does not make leases end early or late for the others; a step of this
 * machine's clock changes nothing, and a step of the server's shows at the next sync (and is absorbed).
 */
export class ServerClock {
  #serverAt = 0;
  #monotonicAt = 0;
  #syncedAt = Number.NEGATIVE_INFINITY;
  readonly #monotonic: () => number;

  /** @param monotonic - a monotonic ms clock, the one statements are timed with @default performance.now */
  constructor(monotonic: () => number = () => performance.now()) {
    this.#monotonic = monotonic;
  }

  /** The estimated server time, whole epoch ms. */
  readonly now = (): number => Math.round(this.#serverAt + (this.#monotonic() - this.#monotonicAt));

  /** Whether the last sync is older than {@link SERVER_CLOCK_RESYNC_MS}. */
  get stale(): boolean {
    return this.#monotonic() - this.#syncedAt >= SERVER_CLOCK_RESYNC_MS;
  }

  /**
   * Syncs with a reading of the server's clock taken by a statement: the reading is placed halfway through the
   * statement's round trip.
   *
   * @param serverNow - the server's clock, epoch ms
   * @param sentAt - the monotonic clock when the statement left
   * @param receivedAt - the monotonic clock when its answer came
   */
  syncTo(serverNow: number, sentAt: number, receivedAt: number): void {
    this.#serverAt = serverNow;
    this.#monotonicAt = (sentAt + receivedAt) / 2;
    this.#syncedAt = receivedAt;
  }
}
