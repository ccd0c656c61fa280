import type { HublineErrorCode } from './codes.js';
import { HublineError, type HublineErrorOptions } from './hubline-error.js';

/** Delivery went wrong in a way the caller should hear about: transport, HTTP status, auth, dead letter, stop. */
export class DeliveryError extends HublineError {
  /** HTTP status, when HubSpot answered. */
  readonly status: number | undefined;
  /** HubSpot's error category, when it gave one. */
  readonly category: string | undefined;

  /**
   * @param code - which delivery failure: `TRANSPORT_FAILED`, `HTTP_ERROR`, `UNAUTHORIZED`, `FORBIDDEN`,
   *   `DEAD_LETTERED`, `ENGINE_STOPPED`, `TOKEN_ENDPOINT_UNREACHABLE` or `TOKEN_ENDPOINT_FAILED`.
   * @param message - what went wrong, for people; never contains the access token.
   * @param options - the underlying `cause`, and HubSpot's HTTP `status` and `category` when it answered.
   */
  constructor(
    code: Extract<
      HublineErrorCode,
      | 'TRANSPORT_FAILED'
      | 'HTTP_ERROR'
      | 'UNAUTHORIZED'
      | 'FORBIDDEN'
      | 'DEAD_LETTERED'
      | 'ENGINE_STOPPED'
      | 'TOKEN_ENDPOINT_UNREACHABLE'
      | 'TOKEN_ENDPOINT_FAILED'
    >,
    message: string,
    options?: HublineErrorOptions & { status?: number; category?: string },
  ) {
    super(code, message, options);
    this.name = 'DeliveryError';
    this.status = options?.status;
    this.category = options?.category;
  }
}
