/** Test support: small HTTP helpers over real loopback fetch. */

/** The default bearer of the emulator. */
export const token = 'hubline-emulator-token';

/** A parsed answer. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body, or undefined when it is not JSON. */
  readonly json: Record<string, unknown> | undefined;
}

/** Sends a request and reads the whole answer. */
export async function send(
  url: string,
  init: {
    method?: string;
    body?: unknown;
    raw?: string;
    bearer?: string | null;
    headers?: Record<string, string>;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  const bearer = init.bearer === undefined ? token : init.bearer;
  if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
  let body: string | undefined;
  if (init.raw !== undefined) body = init.raw;
  else if (init.body !== undefined) body = JSON.stringify(init.body);
  if (body !== undefined && headers['content-type'] === undefined)
    headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A valid visit event for the default `1001234` template. */
export function visit(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventTemplateId: '1001234',
    id,
    email: 'ana@example.com',
    tokens: { page: '/pricing', seconds: '42' },
    ...extra,
  };
}

export const batchPath = '/integrators/timeline/v3/events/batch/create';

/** Posts a v3 batch of the given inputs. */
export function postBatch(
  base: string,
  inputs: unknown[],
  init: { bearer?: string | null } = {},
): Promise<Answer> {
  return send(`${base}${batchPath}`, { body: { inputs }, ...init });
}

/** The fields of a refresh-token grant for the default OAuth client and refresh token. */
export const refreshFields: Readonly<Record<string, string>> = Object.freeze({
  grant_type: 'refresh_token',
  client_id: 'hubline-emulator-client',
  client_secret: 'hubline-emulator-secret',
  refresh_token: 'hubline-emulator-refresh',
});

/** A form-encoded body for `POST /oauth/v1/token`, sent without a bearer. */
export function form(fields: Readonly<Record<string, string>>): {
  raw: string;
  headers: Record<string, string>;
  bearer: null;
} {
  return {
    raw: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    bearer: null,
  };
}

/** A form-encoded refresh-token grant for `POST /oauth/v1/token` with the default OAuth client. */
export function refreshForm(refreshToken: string): ReturnType<typeof form> {
  return form({ ...refreshFields, refresh_token: refreshToken });
}

/** The error code of a failed fetch (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET, …). */
export async function fetchFailure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? (error as Error).name;
  }
  throw new Error('expected the request to fail');
}

/** The ids a batch answer's `results` name, in order ([] when it has none). */
export function resultIds(answer: Answer): string[] {
  const results = answer.json?.results;
  return Array.isArray(results) ? results.map((r) => (r as { id: string }).id) : [];
}

/** A list field of an answer's JSON body ([] when absent). */
export function listOf<T>(answer: Answer, field: string): T[] {
  const value = answer.json?.[field];
  return Array.isArray(value) ? (value as T[]) : [];
}
