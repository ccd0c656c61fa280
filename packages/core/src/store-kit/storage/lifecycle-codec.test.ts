import { describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../../lifecycle/types.js';
import { decodeEvent, encodeEventData } from './lifecycle-codec.js';

const events: LifecycleEvent[] = [
  { type: 'Recorded', at: 1, bytes: 183 },
  { type: 'Claimed', at: 2, owner: 'engine-a', leaseUntil: 30_002 },
  { type: 'LeaseExpired', at: 30_003, owner: 'engine-a' },
  {
    type: 'Failed',
    at: 4,
    owner: 'b',
    reason: 'HTTP 503',
    status: 503,
    countsAsAttempt: true,
    nextAttemptAt: 9,
  },
  { type: 'Delivered', at: 5, owner: 'b', alreadyExisted: true },
  { type: 'DeadLettered', at: 6, category: 'VALIDATION_ERROR', message: 'bad "token"', status: 400 },
  {
    type: 'Amended',
    at: 7,
    by: 'operator',
    previous: { eventTemplateId: '1', id: 'e', tokens: { a: 'b' }, timestamp: '2026-01-01T00:00:00.000Z' },
    bytes: 90,
  },
  { type: 'Requeued', at: 7, by: 'operator' },
  { type: 'Evicted', at: 8, reason: 'maxEntries' },
];

describe('the lifecycle record codec', () => {
  it.each(events.map((event) => [event.type, event] as const))('round-trips %s', (_type, event) => {
    const data = encodeEventData(event);
    expect(JSON.parse(data)).not.toHaveProperty('type');
    expect(JSON.parse(data)).not.toHaveProperty('at');
    expect(decodeEvent(event.type, event.at, data)).toEqual(event);
  });

  it('reads a record written before the data was compacted the same way', () => {
    const event = events[1]!;
    expect(decodeEvent(event.type, event.at, JSON.stringify(event))).toEqual(event);
  });
});
