import { describe, expect, expectTypeOf, it } from 'vitest';
import { readSpec } from '../../test/support/hubspot-spec.js';
import { TIMELINE_EVENT_FIELDS, TIMELINE_IFRAME_FIELDS } from './schema.js';
import type { TimelineEvent, TimelineIFrame } from './types.js';

const v3 = readSpec('timeline-v3.openapi.json').components.schemas;

function propertiesOf(schema: string): string[] {
  const properties = v3[schema]?.properties;
  if (typeof properties !== 'object' || properties === null) throw new Error(`the v3 spec has no ${schema}`);
  return Object.keys(properties).sort();
}

describe('TIMELINE_EVENT_FIELDS', () => {
  it("are exactly the properties of the v3 spec's TimelineEvent", () => {
    expect([...TIMELINE_EVENT_FIELDS].sort()).toEqual(propertiesOf('TimelineEvent'));
  });

  it('are exactly the keys of the TimelineEvent type', () => {
    expectTypeOf<(typeof TIMELINE_EVENT_FIELDS)[number]>().toEqualTypeOf<keyof TimelineEvent>();
  });
});

describe('TIMELINE_IFRAME_FIELDS', () => {
  it("are exactly the properties of the v3 spec's TimelineEventIFrame", () => {
    expect([...TIMELINE_IFRAME_FIELDS].sort()).toEqual(propertiesOf('TimelineEventIFrame'));
  });

  it('are exactly the keys of the TimelineIFrame type', () => {
    expectTypeOf<(typeof TIMELINE_IFRAME_FIELDS)[number]>().toEqualTypeOf<keyof TimelineIFrame>();
  });
});
