import type { TimelineEvent } from '../../src/event/types.js';
import type { HttpAnswer, WireRequest } from '../../src/wire/types.js';

/** A normalised event with a ULID-shaped id; `overrides` replace fields. Test support, not exported. */
export function timelineEvent(id: string, overrides: Partial<TimelineEvent> = {}): TimelineEvent {
  return {
    eventTemplateId: '1001234',
    id,
    tokens: { page: '/pricing', seconds: '42' },
    email: 'ana@example.com',
    timestamp: '2026-11-29T12:00:00.000Z',
    ...overrides,
  };
}

/** Every field of HubSpot's `TimelineEvent` set. */
export function fullTimelineEvent(id: string): TimelineEvent {
  return {
    eventTemplateId: '1001234',
    id,
    tokens: { page: '/pricing', 'visit.count': '3' },
    objectId: '5101',
    email: 'ana@example.com',
    utk: 'f1a2b3c4d5',
    domain: 'example.com',
    customObjectTypeId: '2-123456',
    timestamp: '2026-11-29T12:00:00.000Z',
    extraData: { cart: { items: [{ sku: 'A-1', qty: 2 }] }, note: null },
    timelineIFrame: {
      linkLabel: 'Open',
      headerLabel: 'Visit details',
      url: 'https://example.com/visit/1',
      width: 600,
      height: 400,
    },
  };
}

/** An HTTP answer with a raw body. Header names must already be lower case, as the contract says. */
export function answer(status: number, body = '', headers: Record<string, string> = {}): HttpAnswer {
  return { kind: 'response', status, headers, body };
}

/** An HTTP answer whose body is `value` as JSON. */
export function jsonAnswer(status: number, value: unknown, headers: Record<string, string> = {}): HttpAnswer {
  return answer(status, JSON.stringify(value), { 'content-type': 'application/json', ...headers });
}

/** The body of a request a dialect built; throws (failing the test) when it has none, as only a `GET` may. */
export function bodyOf(request: WireRequest): string {
  if (request.body === undefined) throw new Error(`${request.method} ${request.path} has no body`);
  return request.body;
}
