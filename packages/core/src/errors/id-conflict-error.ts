import { HublineError, type HublineErrorOptions } from './hubline-error.js';

/** An id was recorded again with different content. Events are immutable; nothing was written. */
export class IdConflictError extends HublineError {
  /** The id that already exists. */
  readonly id: string;

  /**
   * @param id - the id recorded again with different content.
   * @param options - the underlying `cause`, if any.
   */
  constructor(id: string, options?: HublineErrorOptions) {
    super('ID_CONFLICT', `Event id "${id}" was already recorded with different content`, options);
    this.name = 'IdConflictError';
    this.id = id;
  }
}
