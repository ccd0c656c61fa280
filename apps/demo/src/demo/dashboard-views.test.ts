import type { LifecycleEvent } from '@hubline/core/store';
import type { HistoryRecord, StoredEntry } from '@hubline/outbox';
import { describe, expect, it } from 'vitest';
import { deadLetterView, lifecycleView, pickRecent, type RememberedId } from './dashboard-views.js';

const entry = (id: string, overrides: Partial<StoredEntry> = {}): StoredEntry => ({
  id,
  account: 'default',
  event: {
    id,
    eventTemplateId: '1001234',
    email: `${id}@example.com`,
    tokens: {},
    timestamp: '2026-01-01T00:00:00.000Z',
  },
  status: 'pending',
  attempts: 0,
  recordedAt: 1000,
  bytes: 200,
  nextAttemptAt: 1000,
  leaseOwner: null,
  leaseUntil: null,
  lastError: null,
  updatedAt: 1000,
  inDoubt: false,
  ...overrides,
});

const history = (...events: LifecycleEvent[]): HistoryRecord[] =>
  events.map((event, index) => ({ seq: index + 1, event }));

const refusedAtOnce = history(
  { type: 'Recorded', at: 1000, bytes: 200 },
  { type: 'Claimed', at: 1100, owner: 'engine-1', leaseUntil: 11_100 },
  {
    type: 'DeadLettered',
    at: 1200,
    owner: 'engine-1',
    category: 'VALIDATION_ERROR',
    message: 'seconds must be a number',
    status: 400,
  },
);

describe('deadLetterView', () => {
  it("lists HubSpot's reason, the subject, and one send for an event refused at once", () => {
    const dead = entry('ev-1', {
      status: 'dead',
      lastError: 'VALIDATION_ERROR: seconds must be a number',
      updatedAt: 1200,
    });
    expect(deadLetterView(dead, refusedAtOnce)).toEqual({
      id: 'ev-1',
      eventTemplateId: '1001234',
      subject: 'ev-1@example.com',
      reason: 'VALIDATION_ERROR: seconds must be a number',
      attempts: 0,
      sends: 1,
      at: 1200,
    });
  });

  it('names the object when there is no email, and says "unknown" when no reason was kept', () => {
    const dead = entry('ev-2', { status: 'dead' });
    const view = deadLetterView({ ...dead, event: { ...dead.event, email: undefined, objectId: '512' } }, []);
    expect(view).toMatchObject({ subject: '512', reason: 'unknown' });
  });
});

describe('lifecycleView', () => {
  it('tells the story in words, with the headline a person can act on', () => {
    const dead = entry('ev-1', { status: 'dead', lastError: 'VALIDATION_ERROR: seconds must be a number' });
    const view = lifecycleView(dead, refusedAtOnce);
    expect(view).toMatchObject({ id: 'ev-1', status: 'dead', attempts: 0, sends: 1, event: dead.event });
    expect(view.headline).toBe(
      'dead letter: sent 1×, refused by HubSpot: VALIDATION_ERROR: seconds must be a number',
    );
    expect(view.history.map((step) => step.type)).toEqual(['Recorded', 'Claimed', 'DeadLettered']);
  });
});

describe('pickRecent', () => {
  const remembered: RememberedId[] = [
    { id: 'a', at: 1000 },
    { id: 'b', at: 1500 },
    { id: 'c', at: 2100 },
    { id: 'd', at: 2900 },
    { id: 'e', at: 3000 },
    { id: 'f', at: 3100 },
  ];
  const outbox = new Map(remembered.map(({ id, at }) => [id, entry(id, { recordedAt: at })]));

  it('picks the newest, then each next one at least the spacing older, newest first', () => {
    const picked = pickRecent(remembered, 10, 1000, (id) => outbox.get(id));
    expect(picked.map((view) => view.id)).toEqual(['f', 'c', 'a']);
    expect(picked[0]).toEqual({
      id: 'f',
      eventTemplateId: '1001234',
      subject: 'f@example.com',
      status: 'pending',
      at: 3100,
    });
  });

  it('stops at the limit', () => {
    expect(pickRecent(remembered, 2, 1000, (id) => outbox.get(id)).map((view) => view.id)).toEqual([
      'f',
      'c',
    ]);
  });

  it('passes over ids the outbox no longer has, taking the next one instead', () => {
    const picked = pickRecent(remembered, 10, 1000, (id) => (id === 'f' ? undefined : outbox.get(id)));
    expect(picked.map((view) => view.id)).toEqual(['e', 'b']);
  });
});
