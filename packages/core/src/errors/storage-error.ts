import type { HublineErrorCode } from './codes.js';
import { HublineError, type HublineErrorOptions } from './hubline-error.js';

/**
 * SQLite refused or failed: disk full, corrupt or unwritable file, a schema too new, a closed outbox, another
 * application's database, a native addon that is not built.
 */
export class StorageError extends HublineError {
  /**
   * @param message - what failed, for people.
   * @param options - the underlying `cause` (usually SQLite's error), and the `code` when it is not
   *   `STORAGE_FAILED`: `SCHEMA_TOO_NEW`, `OUTBOX_CLOSED`, `NOT_FOUND`, `NOT_AN_OUTBOX` or `NATIVE_ADDON_MISSING`.
   */
  constructor(
    message: string,
    options?: HublineErrorOptions & {
      /** @default 'STORAGE_FAILED' */
      code?: Extract<
        HublineErrorCode,
        | 'STORAGE_FAILED'
        | 'SCHEMA_TOO_NEW'
        | 'OUTBOX_CLOSED'
        | 'NOT_FOUND'
        | 'NOT_AN_OUTBOX'
        | 'NATIVE_ADDON_MISSING'
      >;
    },
  ) {
    super(options?.code ?? 'STORAGE_FAILED', message, options);
    this.name = 'StorageError';
  }
}
