import { errorBody } from '../bodies.js';
import { isObject } from '../events/read-event.js';
import type { RouteShape } from '../server/api-route.js';
import { json, type Reply } from '../server/reply.js';
import type { Outcome } from '../timeline/api-context.js';

/** The hostile 2xx answers that carry no batch body at all, by their base name. */
export type ProoflessKind =
  | 'empty-200'
  | 'html-200'
  | 'error-json-200'
  | 'junk-json-200'
  | 'no-content-204'
  | 'status-299';

const captivePortal =
  '<!DOCTYPE html>\n<html><head><title>Sign in to Wi-Fi</title></head><body><h1>Welcome!</h1><p>Please accept the terms of use to continue browsing.</p><form method="post" action="/login"><button>Accept</button></form></body></html>\n';

/** A 2xx that proves nothing: empty, HTML, an error object, cut-off JSON, 204, or 299 with `{}`. */
export function prooflessReply(kind: ProoflessKind): Reply {
  switch (kind) {
    case 'empty-200':
      return { type: 'empty', status: 200 };
    case 'html-200':
      return { type: 'text', status: 200, contentType: 'text/html; charset=utf-8', text: captivePortal };
    case 'error-json-200':
      return json(200, errorBody('VALIDATION_ERROR', 'Invalid input (details will vary based on the error)'));
    case 'junk-json-200':
      return {
        type: 'text',
        status: 200,
        contentType: 'application/json;charset=utf-8',
        text: '{"status":"COMPLETE","results":[{"id":',
      };
    case 'no-content-204':
      return { type: 'empty', status: 204 };
    case 'status-299':
      return json(299, {});
  }
}

/** The status code a batch route answers success with. */
export function batchSuccessStatus(shape: RouteShape): number {
  return shape === 'batch-2026-03' ? 200 : 201;
}

/** A batch body with this `status` and `results` (none by default). */
export function batchStatusBody(
  status: 'COMPLETE' | 'PENDING' | 'PROCESSING' | 'CANCELED',
  startedAt: string,
  now: number,
  results: unknown[] = [],
): Record<string, unknown> {
  return { status, results, startedAt, completedAt: new Date(now).toISOString() };
}

/** Whether an outcome is a batch answer (2xx with a `results` array) that a fault may rewrite. */
function batchBody(outcome: Outcome): Record<string, unknown> | undefined {
  const body = outcome.body;
  return outcome.status >= 200 && outcome.status < 300 && body !== undefined && Array.isArray(body.results)
    ? body
    : undefined;
}

/** Rewrites a batch answer with `change`; any other answer (a 400, a 409) goes out as it is. */
export function rewriteBatch(
  outcome: Outcome,
  change: (
    body: Record<string, unknown>,
    results: unknown[],
  ) => { status?: number; body: Record<string, unknown> },
): Reply {
  const body = batchBody(outcome);
  if (body === undefined) return outcomeReply(outcome);
  const next = change(body, body.results as unknown[]);
  return json(next.status ?? outcome.status, next.body);
}

/** The reply of a handler's outcome, unchanged. */
export function outcomeReply(outcome: Outcome): Reply {
  return outcome.body === undefined
    ? { type: 'empty', status: outcome.status }
    : json(outcome.status, outcome.body);
}

/** The (template, id) an input names, as far as it can be read. */
export function inputIds(input: unknown): { eventTemplateId: string; id: string } {
  if (!isObject(input)) return { eventTemplateId: '', id: '' };
  const template = input.eventTemplateId ?? input.eventTypeName;
  return {
    eventTemplateId: typeof template === 'string' || typeof template === 'number' ? String(template) : '',
    id: typeof input.id === 'string' || typeof input.id === 'number' ? String(input.id) : '',
  };
}

/** A result naming an id that was never sent, in the route's result shape. */
export function phantomResult(
  shape: RouteShape,
  input: unknown,
  seq: number,
  index: number,
): Record<string, unknown> {
  const { eventTemplateId } = inputIds(input);
  const id = `emulator-unsent-${seq}-${index}`;
  return shape === 'batch-2026-03'
    ? { id, eventTypeName: eventTemplateId || 'unknown', properties: {} }
    : { id, eventTemplateId: eventTemplateId || '0', objectType: 'contacts', tokens: {} };
}

/** A 207 `StandardError` that names no event: no id in its `context`, no `in`. */
export function unattributedError(category: 'CONFLICT' | 'VALIDATION_ERROR'): Record<string, unknown> {
  const message =
    category === 'CONFLICT'
      ? 'An event with this ID already exists; events are immutable.'
      : 'Event failed validation.';
  return {
    status: 'error',
    category,
    message,
    context: {},
    errors: [{ message, code: category === 'CONFLICT' ? 'EVENT_ALREADY_EXISTS' : 'INVALID_EVENT' }],
    links: {},
  };
}

/** Adds errors to a batch body, making it a 207 with `numErrors`. */
export function withErrors(
  body: Record<string, unknown>,
  results: unknown[],
  errors: readonly unknown[],
): { status: number; body: Record<string, unknown> } {
  const all = [...(Array.isArray(body.errors) ? body.errors : []), ...errors];
  return { status: 207, body: { ...body, status: 'COMPLETE', results, numErrors: all.length, errors: all } };
}
