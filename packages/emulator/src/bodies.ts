import { randomUUID } from 'node:crypto';

/** One `ErrorDetail` of HubSpot's error bodies. */
export interface ErrorDetail {
  /** What is wrong, for a person. */
  message: string;
  /** A machine-readable reason, e.g. `TOO_MANY_INPUTS`, `EVENT_ALREADY_EXISTS`. */
  code?: string;
  /** Where in the request, e.g. `inputs[3].tokens.seconds`. */
  in?: string;
  /** Values involved, by name, e.g. `{ id: ['e1'] }`. */
  context?: Record<string, string[]>;
}

/** Extra fields of an error body. */
export interface ErrorExtras {
  /** Details, one per problem. */
  readonly errors?: readonly ErrorDetail[];
  /** Values involved, by name, e.g. `{ maxBytes: ['1048576'] }`. */
  readonly context?: Record<string, string[]>;
  /** A finer category, when HubSpot sends one. */
  readonly subCategory?: string;
}

/**
 * HubSpot's top-level error body (`Error` in the specs, plus the `status: "error"` real bodies carry):
 * `{ status, message, correlationId, category, errors?, context?, links }`.
 */
export function errorBody(
  category: string,
  message: string,
  extras: ErrorExtras = {},
): Record<string, unknown> {
  const body: Record<string, unknown> = { status: 'error', message, correlationId: randomUUID(), category };
  if (extras.subCategory !== undefined) body.subCategory = extras.subCategory;
  if (extras.errors !== undefined) body.errors = extras.errors;
  if (extras.context !== undefined) body.context = extras.context;
  body.links = {};
  return body;
}

/**
 * HubSpot's 429 body (as HubSpot's API answers it and its Node SDK matches it), plus `category` so it also satisfies the specs' `Error` schema.
 * @param policy `TEN_SECONDLY_ROLLING` or `DAILY`.
 */
export function rateLimitBody(policy: 'TEN_SECONDLY_ROLLING' | 'DAILY'): Record<string, unknown> {
  return {
    status: 'error',
    message: `You have reached your ${policy.toLowerCase()} limit.`,
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    policyName: policy,
    requestId: randomUUID(),
    category: 'RATE_LIMITS',
  };
}

const reason: Readonly<Record<number, string>> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** A 5xx body as HubSpot itself sends it (JSON). */
export function serverErrorBody(status: number): Record<string, unknown> {
  const category =
    status === 500 ? 'INTERNAL_ERROR' : (reason[status] ?? 'ERROR').toUpperCase().replaceAll(' ', '_');
  return errorBody(
    category,
    `${reason[status] ?? 'Error'}: the request could not be completed. Please try again.`,
  );
}

/** A 5xx body as a proxy in front of HubSpot sends it: HTML, not JSON. */
export function proxyHtmlBody(status: number): string {
  const title = `${status} ${reason[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n`;
}
