import fc from 'fast-check';

/**
 * Test support: any input `normalizeEvent` must accept, every optional field present or not, values drawn from
 * each field's accepted forms (template ids and object ids as digits or numbers, tokens of every value type,
 * timestamps as Date, epoch ms or ISO text). Shared by the properties that check normalised events and the
 * request bodies built from them against HubSpot's specs.
 */

const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2100, 0, 1) - 1;
const label = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,19}$/);
const host = fc.stringMatching(/^[a-z][a-z0-9]{0,10}(\.[a-z][a-z0-9]{0,10}){0,2}\.[a-z]{2,6}$/);
/** A valid `TimelineEventInput`, targeting something and naming `objectId` whenever it names a custom object type. */
export const validTimelineEventInput = fc
  .record(
    {
      eventTemplateId: fc.oneof(
        fc.stringMatching(/^[1-9][0-9]{0,11}$/),
        fc.integer({ min: 1, max: 2 ** 31 }),
      ),
      id: fc.stringMatching(/^[A-Za-z0-9:_-]{1,128}$/),
      tokens: fc.dictionary(
        fc.stringMatching(/^[A-Za-z0-9._-]{1,30}$/).filter((name) => name !== '__proto__'),
        fc.oneof(
          fc.string(),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.integer(),
          fc.boolean(),
          fc.date({ noInvalidDate: true }),
        ),
      ),
      objectId: fc.oneof(
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.stringMatching(/^[1-9][0-9]{0,18}$/),
      ),
      email: fc
        .tuple(fc.stringMatching(/^[a-z0-9]{1,10}(\.[a-z0-9]{1,5})?$/), host)
        .map(([local, domain]) => `${local}@${domain}`),
      utk: fc.stringMatching(/^[0-9a-f]{32}$/),
      domain: host,
      customObjectTypeId: fc.stringMatching(/^2-[0-9]{1,9}$/),
      timestamp: fc.oneof(
        fc.date({ min: new Date(MIN_MS), max: new Date(MAX_MS), noInvalidDate: true }),
        fc.integer({ min: MIN_MS, max: MAX_MS }),
        fc
          .date({ min: new Date(MIN_MS), max: new Date(MAX_MS), noInvalidDate: true })
          .map((date) => date.toISOString()),
      ),
      extraData: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 })),
      timelineIFrame: fc.record({
        linkLabel: label,
        headerLabel: label,
        url: fc
          .tuple(fc.constantFrom('http', 'https'), host, fc.stringMatching(/^[a-z0-9/]{0,20}$/))
          .map(([scheme, h, path]) => `${scheme}://${h}/${path}`),
        width: fc.integer({ min: 1, max: 2_147_483_647 }),
        height: fc.integer({ min: 1, max: 2_147_483_647 }),
      }),
    },
    { requiredKeys: ['eventTemplateId'] },
  )
  .filter((input) => input.objectId !== undefined || input.email !== undefined || input.utk !== undefined)
  .filter((input) => input.customObjectTypeId === undefined || input.objectId !== undefined);
