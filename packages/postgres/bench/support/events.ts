import type { TimelineEventInput } from '@hubline/core';

/** The emulator's default "visit" template, which every benchmark event uses. */
const VISIT_TEMPLATE_ID = '1001234';

/** A valid "visit" event for the emulator's default template, about 150 bytes on the wire. */
export function visit(n: number): TimelineEventInput {
  return {
    eventTemplateId: VISIT_TEMPLATE_ID,
    email: `visitor${n % 5000}@example.com`,
    tokens: { page: `/pricing/${n % 97}`, seconds: n % 300 },
  };
}

/** `count` visits numbered from `from`. */
export function visits(from: number, count: number): TimelineEventInput[] {
  return Array.from({ length: count }, (_, i) => visit(from + i));
}
