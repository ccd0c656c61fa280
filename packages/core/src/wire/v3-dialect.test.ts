import { describe, expect, it } from 'vitest';
import { requestBodyValidator } from '../../test/support/hubspot-spec.js';
import { bodyOf, fullTimelineEvent, timelineEvent } from '../../test/support/wire-fixtures.js';
import { normalizeEventWithJson } from '../event/normalize-event.js';
import { appEventsDialect } from './app-events-dialect.js';
import { createV3Dialect, V3_BATCH_PATH, V3_LEGACY_BATCH_PATH, v3Dialect } from './v3-dialect.js';

const validateBatch = requestBodyValidator('timeline-v3.openapi.json', V3_BATCH_PATH, {
  closedSchemas: ['BatchInputTimelineEvent', 'TimelineEvent', 'TimelineEventIFrame'],
});

describe('v3Dialect.encode', () => {
  it('posts to the v3 batch create endpoint', () => {
    const request = v3Dialect.encode([timelineEvent('01JDZ0000000000000000000A1')]);
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/integrators/timeline/v3/events/batch/create');
    expect(v3Dialect.name).toBe('v3');
  });

  it('can use the legacy /crm/v3 path', () => {
    const request = createV3Dialect({ legacyPath: true }).encode([
      timelineEvent('01JDZ0000000000000000000A1'),
    ]);
    expect(request.path).toBe(V3_LEGACY_BATCH_PATH);
    expect(request.path).toBe('/crm/v3/timeline/events/batch/create');
  });

  it('sends the events unchanged, in order, as inputs', () => {
    const events = [
      fullTimelineEvent('01JDZ0000000000000000000A1'),
      timelineEvent('01JDZ0000000000000000000A2'),
    ];
    expect(JSON.parse(bodyOf(v3Dialect.encode(events)))).toEqual({ inputs: events });
  });

  it('leaves out fields that are not part of TimelineEvent and absent optional fields', () => {
    const event = { ...timelineEvent('01JDZ0000000000000000000A1'), status: 'pending', objectId: undefined };
    const [input] = (JSON.parse(bodyOf(v3Dialect.encode([event]))) as { inputs: Record<string, unknown>[] })
      .inputs;
    expect(Object.keys(input ?? {}).sort()).toEqual([
      'email',
      'eventTemplateId',
      'id',
      'timestamp',
      'tokens',
    ]);
  });

  it.each([
    ['a minimal contact event', [timelineEvent('01JDZ0000000000000000000A1')]],
    ['an event with every field', [fullTimelineEvent('01JDZ0000000000000000000A1')]],
    [
      'a batch of 100',
      Array.from({ length: 100 }, (_, i) => timelineEvent(`01JDZ00000000000000000${1000 + i}`)),
    ],
    ['an empty batch', []],
  ])('builds a body that validates against the v3 spec: %s', (_name, events) => {
    expect(validateBatch(JSON.parse(bodyOf(v3Dialect.encode(events))))).toEqual([]);
  });

  it('is checked by a validator that does refuse a wrong body', () => {
    expect(validateBatch({ inputs: [{ id: 'x', tokens: { a: 1 } }] })).not.toEqual([]);
    expect(validateBatch({ inputs: [{ ...timelineEvent('x'), properties: {} }] })).not.toEqual([]);
    expect(validateBatch({ inputs: [timelineEvent('x', { timestamp: 'yesterday' })] })).not.toEqual([]);
  });
});

describe('v3Dialect.encodeJson', () => {
  it('builds byte for byte the body encode builds, from the JSON the normaliser stores', () => {
    const events = [
      fullTimelineEvent('01JDZ0000000000000000000A1'),
      timelineEvent('01JDZ0000000000000000000A2'),
      { ...timelineEvent('01JDZ0000000000000000000A3'), tokens: { note: 'ünïcödé "quoted" \\ \u2028' } },
    ];
    const stored = events.map(
      (event) => normalizeEventWithJson(event, { now: Date.UTC(2026, 10, 29), newId: () => 'unused' }).json,
    );
    const fast = v3Dialect.encodeJson?.(stored);
    expect(fast).toEqual(v3Dialect.encode(events));
    expect(validateBatch(JSON.parse(fast === undefined ? '{}' : bodyOf(fast)))).toEqual([]);
  });

  it('keeps the legacy path when configured', () => {
    const fast = createV3Dialect({ legacyPath: true }).encodeJson?.([JSON.stringify(timelineEvent('a'))]);
    expect(fast?.path).toBe(V3_LEGACY_BATCH_PATH);
  });

  it('is not offered by the 2026-03 dialect, whose wire shape differs from the stored one', () => {
    expect(appEventsDialect.encodeJson).toBeUndefined();
  });
});
