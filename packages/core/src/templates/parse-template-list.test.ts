import { Ajv } from 'ajv';
import formatsModule, { type FormatsPlugin } from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { readSpec } from '../../test/support/hubspot-spec.js';
import { ValidationError } from '../errors/validation-error.js';
import { parseTemplateList } from './parse-template-list.js';

/** HubSpot's documented answer (the PetSpot example of the v3 guide), one date token added. */
const hubspotAnswer = {
  results: [
    {
      id: '1001298',
      objectType: 'contacts',
      createdAt: '2020-02-12T20:58:26Z',
      updatedAt: '2020-02-12T20:58:26Z',
      name: 'PetSpot Registration',
      headerTemplate: 'Registered for [{{petName}}](https://my.petspot.com/pets/{{petName}})',
      detailTemplate: 'Registration occurred at {{#formatDate timestamp}}{{/formatDate}}',
      tokens: [
        {
          name: 'petName',
          type: 'string',
          createdAt: '2020-02-12T20:58:26Z',
          label: 'Pet Name',
          options: [],
        },
        { name: 'petAge', type: 'number', label: 'Pet Age', options: [] },
        {
          name: 'petColor',
          type: 'enumeration',
          label: 'Pet Color',
          options: [
            { value: 'white', label: 'White' },
            { value: 'black', label: 'Black' },
          ],
        },
        { name: 'adoptedAt', type: 'date', label: 'Adopted', options: [], objectPropertyName: 'adopted_at' },
      ],
    },
  ],
};

// ajv-formats is CommonJS with `export default`: the default import is the plugin or its module object.
const addFormats = ((formatsModule as unknown as { default?: FormatsPlugin }).default ??
  formatsModule) as unknown as FormatsPlugin;

/** Validates a value against the 200 answer schema of `GET /integrators/timeline/v3/{appId}/event-templates`. */
function validateListAnswer(value: unknown): boolean {
  const spec = readSpec('timeline-v3.openapi.json');
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'https://hubline.test/v3', components: { schemas: spec.components.schemas } });
  const validate = ajv.getSchema(
    'https://hubline.test/v3#/components/schemas/CollectionResponseTimelineEventTemplateNoPaging',
  );
  if (validate === undefined)
    throw new Error('the spec has no CollectionResponseTimelineEventTemplateNoPaging');
  return validate(value) === true;
}

describe('parseTemplateList', () => {
  it("reads HubSpot's documented answer (valid against its spec), keeping what checking needs", () => {
    expect(validateListAnswer(hubspotAnswer)).toBe(true);
    expect(parseTemplateList(JSON.stringify(hubspotAnswer))).toEqual([
      {
        id: '1001298',
        name: 'PetSpot Registration',
        objectType: 'contacts',
        tokens: [
          { name: 'petName', type: 'string', label: 'Pet Name', options: [], required: false },
          { name: 'petAge', type: 'number', label: 'Pet Age', options: [], required: false },
          {
            name: 'petColor',
            type: 'enumeration',
            label: 'Pet Color',
            options: [
              { value: 'white', label: 'White' },
              { value: 'black', label: 'Black' },
            ],
            required: false,
          },
          { name: 'adoptedAt', type: 'date', label: 'Adopted', options: [], required: false },
        ],
      },
    ]);
  });

  it('reads the null dates HubSpot answers for templates made before 2020', () => {
    const old = structuredClone(hubspotAnswer) as { results: Record<string, unknown>[] };
    Object.assign(old.results[0]!, { createdAt: null, updatedAt: null });
    expect(parseTemplateList(JSON.stringify(old))).toEqual(parseTemplateList(JSON.stringify(hubspotAnswer)));
  });

  it('reads an empty list', () => {
    expect(parseTemplateList('{"results":[]}')).toEqual([]);
  });

  it('checks a token of a type it does not know, or an enumeration listed without options, as a string', () => {
    const [template] = parseTemplateList(
      JSON.stringify({
        results: [
          {
            id: '5',
            name: 'future',
            objectType: 'deals',
            tokens: [
              { name: 'flag', type: 'boolean', label: 'Flag', options: [] },
              { name: 'kind', type: 'enumeration', label: 'Kind', options: [] },
              { name: 'plain', type: 'string', label: null, options: null },
            ],
          },
        ],
      }),
    );
    expect(template?.tokens.map((token) => [token.name, token.type, token.label])).toEqual([
      ['flag', 'string', 'Flag'],
      ['kind', 'string', 'Kind'],
      ['plain', 'string', 'plain'],
    ]);
  });

  it('names a template listed without a name by its id', () => {
    expect(parseTemplateList('{"results":[{"id":"9","objectType":"contacts","tokens":[]}]}')[0]?.name).toBe(
      '9',
    );
  });

  it.each<[string, string, { path: string; message: string }]>([
    ['a body that is not JSON', '<html>captive portal</html>', { path: '', message: 'is not JSON' }],
    [
      'an error object',
      '{"status":"error","message":"nope"}',
      { path: 'results', message: 'must be an array of templates' },
    ],
    [
      'a template without an id',
      '{"results":[{"name":"x","objectType":"contacts","tokens":[]}]}',
      { path: 'results[0].id', message: 'is required' },
    ],
    [
      'a token without a name',
      '{"results":[{"id":"1","name":"x","objectType":"contacts","tokens":[{"type":"string"}]}]}',
      { path: 'results[0].tokens[0].name', message: 'is required' },
    ],
  ])('refuses %s, naming where', (_name, body, issue) => {
    let thrown: unknown;
    try {
      parseTemplateList(body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).message).toMatch(/^Invalid event template list/);
    expect((thrown as ValidationError).issues).toContainEqual(issue);
  });
});
