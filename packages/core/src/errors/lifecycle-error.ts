import { HublineError, type HublineErrorOptions } from './hubline-error.js';

/** A lifecycle event does not follow from the entry's state (e.g. `Delivered` after `DeadLettered`). */
export class LifecycleError extends HublineError {
  /** The entry's status when the event arrived (`absent` before `Recorded`). */
  readonly from: string;
  /** The refused event type. */
  readonly eventType: string;

  /**
   * @param from - the entry's status when the event arrived (`absent` before `Recorded`).
   * @param eventType - the type of the refused event.
   * @param detail - why it was refused, in plain words.
   * @param options - the underlying `cause`, if any.
   */
  constructor(from: string, eventType: string, detail?: string, options?: HublineErrorOptions) {
    super(
      'ILLEGAL_TRANSITION',
      `Illegal lifecycle transition: ${eventType} cannot follow state "${from}"${detail ? ` (${detail})` : ''}`,
      options,
    );
    this.name = 'LifecycleError';
    this.from = from;
    this.eventType = eventType;
  }
}
