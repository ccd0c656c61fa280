import { type Observable, Subject } from 'rxjs';

/**
 * The wake-up signal of one store object: what it commits itself, at once, and what every other store on the
 * schema commits, through `LISTEN`/`NOTIFY`.
 *
 * A notification's payload is `<store id>:<count>`. A store emits its own records, requeues and releases itself
 * when they commit (so a subscriber sees them before the call returns) and skips its own notifications; a
 * record in the app's transaction is notified with an empty store id, since only the app knows when it commits,
 * and is emitted by every store, this one included, when PostgreSQL delivers the notification.
 */
export class ChangeFeed {
  readonly #changes = new Subject<number>();
  readonly #instanceId: string;
  /** The signal: how many entries became due. */
  readonly changes$: Observable<number> = this.#changes.asObservable();

  /** @param instanceId - this store's id in notifications */
  constructor(instanceId: string) {
    this.#instanceId = instanceId;
  }

  /**
   * Emits a change this store committed.
   *
   * @param count - how many entries became due
   */
  committed(count: number): void {
    if (count > 0) this.#changes.next(count);
  }

  /**
   * Emits a change another store (or the app, through this one) committed.
   *
   * @param payload - the notification's payload
   */
  notified(payload: string): void {
    const colon = payload.lastIndexOf(':');
    if (colon < 0 || payload.slice(0, colon) === this.#instanceId) return;
    const count = Number(payload.slice(colon + 1));
    if (Number.isSafeInteger(count) && count > 0) this.#changes.next(count);
  }

  /** Completes the signal. */
  complete(): void {
    this.#changes.complete();
  }
}
