import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestBodyValidator } from '../../test/support/hubspot-spec.js';
import { validTimelineEventInput } from '../../test/support/valid-input.js';
import { bodyOf, fullTimelineEvent, timelineEvent } from '../../test/support/wire-fixtures.js';
import { normalizeEvent } from '../event/normalize-event.js';
import { APP_EVENTS_BATCH_PATH, appEventsDialect, createAppEventsDialect } from './app-events-dialect.js';

const validateBatch = requestBodyValidator('timeline-2026-03.openapi.json', APP_EVENTS_BATCH_PATH, {
  closedSchemas: ['BatchInputAppEventOccurrence', 'AppEventOccurrence', 'TimelineEventIFrame'],
});

function inputsOf(body: string): Record<string, unknown>[] {
  return (JSON.parse(body) as { inputs: Record<string, unknown>[] }).inputs;
}

describe('appEventsDialect.encode', () => {
  it('posts to the 2026-03 app events batch endpoint', () => {
    const request = appEventsDialect.encode([timelineEvent('01JDZ0000000000000000000A1')]);
    expect(request).toMatchObject({ method: 'POST', path: '/integrators/timeline/2026-03/events/batch' });
    expect(appEventsDialect.name).toBe('2026-03');
  });

  it('maps a full v3 event to an AppEventOccurrence: tokens become properties, the template its type name', () => {
    const event = fullTimelineEvent('01JDZ0000000000000000000A1');
    expect(inputsOf(bodyOf(appEventsDialect.encode([event])))).toEqual([
      {
        eventTypeName: '1001234',
        id: event.id,
        properties: event.tokens,
        objectId: event.objectId,
        email: event.email,
        utk: event.utk,
        domain: event.domain,
        objectTypeFullyQualifiedName: '2-123456',
        timestamp: event.timestamp,
        extraData: event.extraData,
        timelineIFrame: event.timelineIFrame,
      },
    ]);
  });

  it('names event types from a map, keeping the template id for templates it does not list', () => {
    const dialect = createAppEventsDialect({ eventTypeName: { '1001234': 'pe42_visit' } });
    const inputs = inputsOf(
      bodyOf(dialect.encode([timelineEvent('A1'), timelineEvent('A2', { eventTemplateId: '999' })])),
    );
    expect(inputs.map((input) => input.eventTypeName)).toEqual(['pe42_visit', '999']);
  });

  it('does not take inherited names from the map', () => {
    const dialect = createAppEventsDialect({ eventTypeName: {} });
    const [input] = inputsOf(bodyOf(dialect.encode([timelineEvent('A1', { eventTemplateId: 'toString' })])));
    expect(input?.eventTypeName).toBe('toString');
  });

  it('names event types with a function', () => {
    const dialect = createAppEventsDialect({ eventTypeName: (templateId) => `type_${templateId}` });
    const [input] = inputsOf(bodyOf(dialect.encode([timelineEvent('A1')])));
    expect(input?.eventTypeName).toBe('type_1001234');
  });

  it('takes the object type from the option, fixed or per event, over customObjectTypeId', () => {
    const event = fullTimelineEvent('A1');
    const fixed = createAppEventsDialect({ objectTypeFullyQualifiedName: 'p42_machine' });
    const perEvent = createAppEventsDialect({ objectTypeFullyQualifiedName: (e) => `p42_${e.objectId}` });
    expect(inputsOf(bodyOf(fixed.encode([event])))[0]?.objectTypeFullyQualifiedName).toBe('p42_machine');
    expect(inputsOf(bodyOf(perEvent.encode([event])))[0]?.objectTypeFullyQualifiedName).toBe('p42_5101');
  });

  it('omits the object type for events that have none', () => {
    const [input] = inputsOf(bodyOf(appEventsDialect.encode([timelineEvent('A1')])));
    expect(input).not.toHaveProperty('objectTypeFullyQualifiedName');
    expect(input).not.toHaveProperty('tokens');
    expect(input).not.toHaveProperty('eventTemplateId');
  });

  it.each([
    ['a minimal contact event', [timelineEvent('01JDZ0000000000000000000A1')]],
    ['an event with every field', [fullTimelineEvent('01JDZ0000000000000000000A1')]],
    [
      'a batch of 100',
      Array.from({ length: 100 }, (_, i) => timelineEvent(`01JDZ00000000000000000${1000 + i}`)),
    ],
  ])('builds a body that validates against the 2026-03 spec: %s', (_name, events) => {
    expect(validateBatch(JSON.parse(bodyOf(appEventsDialect.encode(events))))).toEqual([]);
  });

  it('builds a body that validates against the 2026-03 spec for any batch of normalised inputs', () => {
    const now = Date.UTC(2026, 10, 29, 12);
    fc.assert(
      fc.property(fc.array(validTimelineEventInput, { minLength: 1, maxLength: 5 }), (inputs) => {
        let generated = 0;
        const options = { now, newId: () => `generated-${++generated}`, maxEventBytes: 10 * 1024 * 1024 };
        const events = inputs.map((input) => normalizeEvent(input, options));
        expect(validateBatch(JSON.parse(bodyOf(appEventsDialect.encode(events))))).toEqual([]);
      }),
    );
  });

  it('is checked by a validator that does refuse a v3-shaped body', () => {
    expect(validateBatch({ inputs: [timelineEvent('01JDZ0000000000000000000A1')] })).not.toEqual([]);
  });
});
