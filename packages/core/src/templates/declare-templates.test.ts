import { describe, expect, it } from 'vitest';
import type { ValidationIssue } from '../errors/validation-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { declareTemplates } from './declare-templates.js';

/** The issues `declareTemplates` throws for `input`. */
function issuesOf(input: unknown): readonly ValidationIssue[] {
  try {
    declareTemplates(input as never);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('VALIDATION_FAILED');
    expect((error as ValidationError).message).toMatch(/^Invalid event templates/);
    return (error as ValidationError).issues;
  }
  throw new Error('declareTemplates accepted the input');
}

const valid = { id: '1', name: 'visit', objectType: 'contacts' };

describe('declareTemplates', () => {
  it('fills in labels, options and required, and freezes the result', () => {
    const [template] = declareTemplates([
      {
        id: 1001234,
        name: 'visit',
        objectType: 'contacts',
        tokens: [
          { name: 'page', type: 'string', required: true },
          {
            name: 'method',
            type: 'enumeration',
            label: 'Method',
            options: [{ value: 'kiosk' }, { value: 'staff', label: 'Staff' }],
          },
        ],
      },
    ]);
    expect(template).toEqual({
      id: '1001234',
      name: 'visit',
      objectType: 'contacts',
      tokens: [
        { name: 'page', type: 'string', label: 'page', options: [], required: true },
        {
          name: 'method',
          type: 'enumeration',
          label: 'Method',
          options: [
            { value: 'kiosk', label: 'kiosk' },
            { value: 'staff', label: 'Staff' },
          ],
          required: false,
        },
      ],
    });
    expect(Object.isFrozen(template)).toBe(true);
    expect(Object.isFrozen(template?.tokens[1]?.options[0])).toBe(true);
  });

  it('accepts a template as HubSpot answers it, display and date fields included', () => {
    const [template] = declareTemplates([
      {
        id: '1001298',
        objectType: 'contacts',
        createdAt: '2020-02-12T20:58:26Z',
        updatedAt: null,
        name: 'PetSpot Registration',
        headerTemplate: 'Registered for [{{petName}}]',
        detailTemplate: 'Registration occurred at {{#formatDate timestamp}}{{/formatDate}}',
        tokens: [
          {
            name: 'petName',
            type: 'string',
            label: 'Pet Name',
            options: [],
            createdAt: null,
            updatedAt: null,
            objectPropertyName: 'firstname',
          },
        ],
      },
    ]);
    expect(template?.tokens).toEqual([
      { name: 'petName', type: 'string', label: 'Pet Name', options: [], required: false },
    ]);
  });

  it('trims a template id, as normalizeEvent trims eventTemplateId', () => {
    expect(declareTemplates([{ ...valid, id: ' 42 ' }])[0]?.id).toBe('42');
  });

  it.each<[string, unknown, ValidationIssue[]]>([
    ['not a list', { templates: [] }, [{ path: '', message: 'must be an array of templates' }]],
    [
      'a template that is not an object',
      ['visit'],
      [{ path: '[0]', message: 'must be a template: { id, name, objectType, tokens }' }],
    ],
    ['a missing id', [{ name: 'x', objectType: 'contacts' }], [{ path: '[0].id', message: 'is required' }]],
    ['a blank id', [{ ...valid, id: '  ' }], [{ path: '[0].id', message: 'must not be blank' }]],
    [
      'a negative numeric id',
      [{ ...valid, id: -3 }],
      [{ path: '[0].id', message: 'must be a string or a positive integer' }],
    ],
    ['a blank name', [{ ...valid, name: ' ' }], [{ path: '[0].name', message: 'must not be blank' }]],
    ['a missing objectType', [{ id: '1', name: 'x' }], [{ path: '[0].objectType', message: 'is required' }]],
    [
      'a repeated template id',
      [valid, { ...valid, id: 1 }],
      [{ path: '[1].id', message: 'repeats an earlier template id' }],
    ],
    [
      'a misspelt field',
      [{ ...valid, tokenz: [] }],
      [{ path: '[0].tokenz', message: 'is not a known field (did you mean "tokens"?)' }],
    ],
    [
      'a token name with a space',
      [{ ...valid, tokens: [{ name: 'page views', type: 'string' }] }],
      [
        {
          path: '[0].tokens[0].name',
          message: expect.stringMatching(/letters, digits/) as unknown as string,
        },
      ],
    ],
    [
      'an unknown token type',
      [{ ...valid, tokens: [{ name: 'ok', type: 'boolean' }] }],
      [{ path: '[0].tokens[0].type', message: 'must be one of "string", "number", "date", "enumeration"' }],
    ],
    [
      'a token without a type',
      [{ ...valid, tokens: [{ name: 'ok' }] }],
      [{ path: '[0].tokens[0].type', message: 'is required' }],
    ],
    [
      'a repeated token name',
      [
        {
          ...valid,
          tokens: [
            { name: 'a', type: 'string' },
            { name: 'a', type: 'number' },
          ],
        },
      ],
      [{ path: '[0].tokens[1].name', message: 'repeats an earlier token of this template' }],
    ],
    [
      'an enumeration without options',
      [{ ...valid, tokens: [{ name: 'm', type: 'enumeration' }] }],
      [{ path: '[0].tokens[0].options', message: 'an enumeration token needs at least one option' }],
    ],
    [
      'options on a number token',
      [{ ...valid, tokens: [{ name: 'n', type: 'number', options: [{ value: '1' }] }] }],
      [
        {
          path: '[0].tokens[0].options',
          message: 'only enumeration tokens have options (this one is "number")',
        },
      ],
    ],
    [
      'an empty or repeated option value',
      [
        {
          ...valid,
          tokens: [
            { name: 'm', type: 'enumeration', options: [{ value: 'a' }, { value: '' }, { value: 'a' }] },
          ],
        },
      ],
      [
        { path: '[0].tokens[0].options[1].value', message: 'must not be empty' },
        { path: '[0].tokens[0].options[2].value', message: 'repeats an earlier option' },
      ],
    ],
    [
      'a misspelt option field',
      [{ ...valid, tokens: [{ name: 'm', type: 'enumeration', options: [{ valeu: 'a' }] }] }],
      [
        { path: '[0].tokens[0].options[0].value', message: 'is required' },
        { path: '[0].tokens[0].options[0].valeu', message: 'is not a known field (did you mean "value"?)' },
      ],
    ],
    [
      'a required flag that is not a boolean',
      [{ ...valid, tokens: [{ name: 'a', type: 'string', required: 'yes' }] }],
      [{ path: '[0].tokens[0].required', message: 'must be a boolean' }],
    ],
  ])('refuses %s, naming the field', (_name, input, expected) => {
    expect(issuesOf(input)).toEqual(expected);
  });

  it('lists every problem at once, a bad token beside a repeated id', () => {
    const paths = issuesOf([
      valid,
      {
        ...valid,
        tokens: [
          { name: 'a', type: 'text' },
          { name: 'a', type: 'string' },
        ],
      },
    ]).map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['[1].id', '[1].tokens[0].type', '[1].tokens[1].name']));
  });
});
