import type { HublineErrorCode } from './codes.js';
import { HublineError, type HublineErrorOptions } from './hubline-error.js';

/** SQLite refused or failed: disk full, corrupt or unwritable file, a schema too new, a closed outbox. */
export class StorageError extends HublineError {
  constructor(
    message: string,
    options?: HublineErrorOptions & {
      /** @default 'STORAGE_FAILED' */
      code?: Extract<HublineErrorCode, 'STORAGE_FAILED' | 'SCHEMA_TOO_NEW' | 'OUTBOX_CLOSED' | 'NOT_FOUND'>;
    },
  ) {
    super(options?.code ?? 'STORAGE_FAILED', message, options);
    this.name = 'StorageError';
  }
}
