import { HublineError, type HublineErrorOptions } from './hubline-error.js';

/** Which outbox limit was reached. */
export type CapacityLimit = 'maxEntries' | 'maxBytes';

/** The outbox is full and its capacity policy is `reject`; nothing was written. */
export class CapacityError extends HublineError {
  /** The limit that would have been exceeded. */
  readonly limit: CapacityLimit;
  /** The configured value of that limit. */
  readonly max: number;

  /**
   * @param limit - which outbox limit would have been exceeded.
   * @param max - that limit's configured value.
   * @param options - the underlying `cause`, if any.
   */
  constructor(limit: CapacityLimit, max: number, options?: HublineErrorOptions) {
    super('CAPACITY_EXCEEDED', `Outbox is full: recording would exceed ${limit}=${max}`, options);
    this.name = 'CapacityError';
    this.limit = limit;
    this.max = max;
  }
}
