import { z } from 'zod';
import { EVENT_LIMITS } from '../event/limits.js';
import { tokenNameSchema } from '../event/token-value.js';
import { hasLoneSurrogate, LONE_SURROGATE_MESSAGE } from '../event/well-formed.js';
import type { TemplateTokenType } from './types.js';

/** The token types, in the order messages list them. */
export const TEMPLATE_TOKEN_TYPES: readonly TemplateTokenType[] = ['string', 'number', 'date', 'enumeration'];

/** Longest template name, label or option label: generous, but bounded. */
const MAX_TEXT = 1_000;
const NO_CONTROL_CHARACTERS = /^\P{Cc}*$/u;
const TEMPLATE_ID_MAX = EVENT_LIMITS.eventTemplateIdLength;

function requiredOr(expected: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${expected}`);
}

/** Text that names something: not blank, no control characters, well-formed Unicode. */
function nameText(max: number) {
  return z
    .string({ error: requiredOr('a string') })
    .max(max, `must be at most ${max} characters`)
    .refine((text) => text.trim().length > 0, 'must not be blank')
    .refine((text) => NO_CONTROL_CHARACTERS.test(text), 'must not contain control characters')
    .refine((text) => !hasLoneSurrogate(text), LONE_SURROGATE_MESSAGE);
}

/** Run a list's duplicate check even when some element failed, so one error lists every problem. */
const keepChecking = { when: (payload: { value: unknown }) => Array.isArray(payload.value) };

/** HubSpot answers `null` for fields of templates made before 2020; the display fields are not Hubline's concern. */
const ignored = z.unknown().optional();

/**
 * A template id as events carry it after normalisation: text trimmed (as `normalizeEvent` trims
 * `eventTemplateId`), or a positive integer written in digits.
 */
const templateIdSchema = z.union(
  [
    z
      .string()
      .trim()
      .min(1, 'must not be blank')
      .max(TEMPLATE_ID_MAX, `must be at most ${TEMPLATE_ID_MAX} characters`)
      .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters')
      .refine((text) => !hasLoneSurrogate(text), LONE_SURROGATE_MESSAGE),
    z
      .number()
      .int('must be an integer when given as a number')
      .positive('must be positive when given as a number')
      .transform(String),
  ],
  { error: requiredOr('a string or a positive integer') },
);

const optionSchema = z.strictObject(
  {
    value: z
      .string({ error: requiredOr('a string') })
      .min(1, 'must not be empty')
      .max(EVENT_LIMITS.tokenValueLength, `must be at most ${EVENT_LIMITS.tokenValueLength} characters`)
      .refine((text) => !hasLoneSurrogate(text), LONE_SURROGATE_MESSAGE),
    label: z.string({ error: 'must be a string' }).max(MAX_TEXT).nullish(),
  },
  { error: objectError('an option: { value, label? }') },
);

const tokenSchema = z
  .strictObject(
    {
      name: z.string({ error: requiredOr('a string') }).pipe(tokenNameSchema),
      type: z.enum(TEMPLATE_TOKEN_TYPES as [TemplateTokenType, ...TemplateTokenType[]], {
        error: requiredOr(`one of ${TEMPLATE_TOKEN_TYPES.map((type) => `"${type}"`).join(', ')}`),
      }),
      label: z.string({ error: 'must be a string' }).max(MAX_TEXT).nullish(),
      options: z.array(optionSchema, { error: 'must be an array of options' }).nullish(),
      required: z.boolean({ error: 'must be a boolean' }).optional(),
      objectPropertyName: ignored,
      createdAt: ignored,
      updatedAt: ignored,
    },
    { error: objectError('a token: { name, type, label?, options?, required? }') },
  )
  .superRefine((token, ctx) => {
    const options = token.options ?? [];
    if (token.type === 'enumeration' && options.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: 'an enumeration token needs at least one option',
      });
    }
    if (token.type !== 'enumeration' && options.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: `only enumeration tokens have options (this one is "${token.type}")`,
      });
    }
    for (const index of duplicateIndexes(options.map((option) => option.value))) {
      ctx.addIssue({
        code: 'custom',
        path: ['options', index, 'value'],
        message: 'repeats an earlier option',
      });
    }
  });

const templateSchema = z.strictObject(
  {
    id: templateIdSchema,
    name: nameText(MAX_TEXT),
    objectType: nameText(100),
    tokens: z
      .array(tokenSchema, { error: 'must be an array of tokens' })
      .optional()
      .superRefine((tokens, ctx) => {
        for (const index of duplicateIndexes(readNames(tokens, 'name'))) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'name'],
            message: 'repeats an earlier token of this template',
          });
        }
      }, keepChecking),
    headerTemplate: ignored,
    detailTemplate: ignored,
    createdAt: ignored,
    updatedAt: ignored,
  },
  { error: objectError('a template: { id, name, objectType, tokens }') },
);

/**
 * A list of template declarations: every template and token checked, duplicate template ids and token names and
 * option values refused (each at the repeat), HubSpot's display and date fields accepted and ignored.
 */
export const templateListSchema = z
  .array(templateSchema, { error: 'must be an array of templates' })
  .superRefine((templates, ctx) => {
    for (const index of duplicateIndexes(readNames(templates, 'id'))) {
      ctx.addIssue({ code: 'custom', path: [index, 'id'], message: 'repeats an earlier template id' });
    }
  }, keepChecking);

/** What {@link templateListSchema} produces. */
export type ParsedTemplateList = z.output<typeof templateListSchema>;

/** Field names by kind of object, for "did you mean" suggestions on unknown keys. */
export const TEMPLATE_FIELDS = Object.keys(templateSchema.shape);
/** Field names of a token. */
export const TOKEN_FIELDS = Object.keys(tokenSchema.shape);
/** Field names of an option. */
export const OPTION_FIELDS = Object.keys(optionSchema.shape);

function objectError(expected: string) {
  return (issue: { code?: string }) => (issue.code === 'invalid_type' ? `must be ${expected}` : undefined);
}

/**
 * `field` of each element as text (a template id as its digits), or `undefined` where an element is not an object
 * with a string or number there: elements that failed their own schema are read defensively.
 */
function readNames(list: readonly unknown[] | undefined, field: string): (string | undefined)[] {
  return (list ?? []).map((item) => {
    if (typeof item !== 'object' || item === null) return undefined;
    const value = (item as Record<string, unknown>)[field];
    if (typeof value === 'string') return value.trim();
    return typeof value === 'number' ? String(value) : undefined;
  });
}

/** Indexes of the elements whose value an earlier element already had. */
function duplicateIndexes(values: readonly (string | undefined)[]): number[] {
  const seen = new Set<string>();
  const repeats: number[] = [];
  values.forEach((value, index) => {
    if (value === undefined) return;
    if (seen.has(value)) repeats.push(index);
    else seen.add(value);
  });
  return repeats;
}
