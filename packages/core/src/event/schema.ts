import { z } from 'zod';
import { accountSchema } from './account.js';
import { withFastPath } from './fast-path.js';
import { copyJsonObject } from './json-copy.js';
import { EVENT_LIMITS } from './limits.js';
import { timestampSchema } from './timestamp.js';
import { TOKEN_NAME_PATTERN, tokenNameSchema, tokenStringIfValid, tokenValueSchema } from './token-value.js';
import type { TimelineIFrame } from './types.js';
import { unreadableMessage } from './unreadable.js';
import { hasLoneSurrogate, LONE_SURROGATE_MESSAGE } from './well-formed.js';

const NO_CONTROL_CHARACTERS = /^\P{Cc}*$/u;
const CONTROL_CHARACTERS_MESSAGE = 'must not contain control characters';
/** Empty (which `min(1)` reports on its own) or with something other than white space. */
const NOT_BLANK = /^$|\S/;
const BLANK_MESSAGE = 'must not be blank (white space only)';

/** zod's message for a missing or mistyped field, in Hubline's words. */
function requiredOr(expected: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${expected}`);
}

function boundedText(max: number) {
  return z
    .string({ error: requiredOr('a string') })
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(NO_CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE)
    .regex(NOT_BLANK, BLANK_MESSAGE);
}

/** {@link boundedText} that is also well-formed Unicode, as every string sent must be. */
function wellFormedText(max: number) {
  return boundedText(max).refine(isWellFormed, LONE_SURROGATE_MESSAGE);
}

/** Every string sent must cross JSON and UTF-8 unchanged, so half a surrogate pair is refused wherever it is. */
function isWellFormed(text: string): boolean {
  return !hasLoneSurrogate(text);
}

/** HubSpot template ids are numeric strings; any short non-blank text is accepted, numbers are stringified. */
const strictEventTemplateIdSchema = z.union(
  [
    z
      .string()
      .trim()
      .min(1, 'must not be blank')
      .max(
        EVENT_LIMITS.eventTemplateIdLength,
        `must be at most ${EVENT_LIMITS.eventTemplateIdLength} characters`,
      )
      .regex(NO_CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE)
      .refine(isWellFormed, LONE_SURROGATE_MESSAGE),
    z
      .number()
      .int('must be an integer when given as a number')
      .positive('must be positive when given as a number')
      .transform(String),
  ],
  { error: requiredOr('a string or a positive integer') },
);

const TEMPLATE_ID_MAX = EVENT_LIMITS.eventTemplateIdLength;

/** What zod's `.int().positive()` admits: a safe integer above zero. */
function isPositiveSafeInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

/** `eventTemplateId` as {@link strictEventTemplateIdSchema} outputs it when it certainly accepts it. */
const eventTemplateIdSchema = withFastPath(strictEventTemplateIdSchema, (value) => {
  if (typeof value === 'string') {
    // `.trim()` comes first in the string member, so its length and character checks see the trimmed text.
    const trimmed = value.trim();
    return trimmed.length >= 1 &&
      trimmed.length <= TEMPLATE_ID_MAX &&
      NO_CONTROL_CHARACTERS.test(trimmed) &&
      isWellFormed(trimmed)
      ? trimmed
      : undefined;
  }
  return isPositiveSafeInteger(value) ? String(value) : undefined;
});

const strictIdSchema = boundedText(EVENT_LIMITS.idLength)
  .refine(
    (id) => !id.includes('{{uuid}}'),
    // HubSpot replaces `{{uuid}}` with a fresh value on every request, so a re-sent event would get a new id
    // and be created twice: the opposite of what an idempotency key is for.
    'must not contain {{uuid}}: HubSpot would make a new id on every retry and create duplicates',
  )
  // For an id above all: HubSpot would store another id than ours.
  .refine(isWellFormed, LONE_SURROGATE_MESSAGE);

const ID_MAX = EVENT_LIMITS.idLength;

/** `id` when {@link strictIdSchema} certainly accepts it (its output is its input). */
const idSchema = withFastPath(strictIdSchema, (value) =>
  typeof value === 'string' &&
  value.length >= 1 &&
  value.length <= ID_MAX &&
  NO_CONTROL_CHARACTERS.test(value) &&
  NOT_BLANK.test(value) &&
  !value.includes('{{uuid}}') &&
  isWellFormed(value)
    ? value
    : undefined,
);

const OBJECT_ID_DIGITS = /^[1-9][0-9]{0,19}$/;

const strictObjectIdSchema = z.union(
  [
    z.string().regex(OBJECT_ID_DIGITS, 'must be a positive integer written in digits'),
    z.number().int('must be an integer').positive('must be positive').transform(String),
  ],
  { error: 'must be a string of digits or a positive integer' },
);

/** `objectId` as {@link strictObjectIdSchema} outputs it when it certainly accepts it. */
const objectIdSchema = withFastPath(strictObjectIdSchema, (value) => {
  if (typeof value === 'string') return OBJECT_ID_DIGITS.test(value) ? value : undefined;
  return isPositiveSafeInteger(value) ? String(value) : undefined;
});

const iframeSizeSchema = z
  .number({ error: requiredOr('a number') })
  .int('must be an integer')
  .positive('must be positive')
  .max(EVENT_LIMITS.iframeSizeMax, `must be at most ${EVENT_LIMITS.iframeSizeMax}`);

const timelineIFrameSchema = z
  .strictObject(
    {
      linkLabel: wellFormedText(EVENT_LIMITS.iframeLabelLength),
      headerLabel: wellFormedText(EVENT_LIMITS.iframeLabelLength),
      url: z
        .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })
        .max(EVENT_LIMITS.iframeUrlLength, `must be at most ${EVENT_LIMITS.iframeUrlLength} characters`)
        // The URL parser accepts half a surrogate pair (it encodes it as U+FFFD) and zod keeps the input.
        .refine(isWellFormed, LONE_SURROGATE_MESSAGE),
      width: iframeSizeSchema,
      height: iframeSizeSchema,
    },
    { error: (issue) => (issue.code === 'invalid_type' ? 'must be an object' : undefined) },
  )
  .transform(
    (frame): TimelineIFrame => ({
      linkLabel: frame.linkLabel,
      headerLabel: frame.headerLabel,
      url: frame.url,
      width: frame.width,
      height: frame.height,
    }),
  );

const extraDataSchema = z.unknown().transform((value, ctx) => {
  const copy = copyJsonObject(value, (path, message, cause) => {
    ctx.issues.push({
      code: 'custom',
      message,
      path,
      input: value,
      ...(cause === undefined ? {} : { params: { cause } }),
    });
  });
  return copy === undefined ? z.NEVER : copy;
});

const ownSymbols = Object.getOwnPropertySymbols;
/** zod's own test of what `z.record` accepts as an object. */
const isZodPlainObject = z.core.util.isPlainObject;

/** The authoritative rules for `tokens`: decides every input the fast path below does not accept outright. */
const strictTokensSchema = z
  .unknown()
  .check((ctx) => {
    const tokens = ctx.value;
    if (typeof tokens !== 'object' || tokens === null) return;
    // zod skips an own `__proto__` key (prototype-pollution guard); refuse it rather than lose it silently.
    if (Object.hasOwn(tokens, '__proto__')) {
      ctx.issues.push({
        code: 'custom',
        message: 'token name "__proto__" is not allowed',
        path: ['__proto__'],
        input: tokens,
      });
    }
    // z.record reads the value of every well-named key; a getter that throws there would escape the parse.
    if (!isZodPlainObject(tokens)) return;
    for (const key of Object.keys(tokens)) {
      if (!TOKEN_NAME_PATTERN.test(key)) continue;
      try {
        (tokens as Record<string, unknown>)[key];
      } catch (error) {
        ctx.issues.push({
          code: 'custom',
          message: unreadableMessage(error),
          path: [key],
          input: tokens,
          params: { cause: error },
        });
      }
    }
  })
  .pipe(
    z.record(tokenNameSchema, tokenValueSchema, {
      error: (issue) => (issue.code === 'invalid_type' ? 'must be an object of token values' : undefined),
    }),
  );

/**
 * `tokens` converted without zod's per-key payloads, or `undefined` when unsure. It accepts only what
 * {@link strictTokensSchema} accepts and builds the same object. `z.record` walks `Reflect.ownKeys`, skipping
 * non-enumerable keys; for a zod-plain object without own symbols that is exactly `Object.keys`, in the same
 * order (and far cheaper). Each key must match the very {@link TOKEN_NAME_PATTERN} (which excludes
 * `__proto__`) and each value pass {@link tokenStringIfValid}; anything else goes to the schema.
 */
function tokensFastPath(value: unknown): Record<string, string> | undefined {
  if (!isZodPlainObject(value) || ownSymbols(value).length !== 0) return undefined;
  const out: Record<string, string> = {};
  try {
    for (const key of Object.keys(value)) {
      if (!TOKEN_NAME_PATTERN.test(key)) return undefined;
      const token = tokenStringIfValid(value[key]);
      if (token === undefined) return undefined;
      out[key] = token;
    }
  } catch {
    // A getter threw: the schema says where.
    return undefined;
  }
  return out;
}

/**
 * `tokens`: a record of token names to values, each normalised by {@link toTokenString}; valid tokens (the
 * record path) take {@link tokensFastPath}.
 */
const tokensSchema = withFastPath(strictTokensSchema, tokensFastPath);

const emailFormat = z.email('must be a valid email address');
const strictEmailSchema = emailFormat.max(
  EVENT_LIMITS.emailLength,
  `must be at most ${EVENT_LIMITS.emailLength} characters`,
);
/** The very pattern zod's email format tests (it checks nothing else). */
const EMAIL_PATTERN = emailFormat._zod.def.pattern;
if (EMAIL_PATTERN === undefined) throw new Error('zod no longer exposes the email pattern');
const EMAIL_MAX = EVENT_LIMITS.emailLength;

/** `email` when {@link strictEmailSchema} certainly accepts it (its output is its input). */
const emailSchema = withFastPath(strictEmailSchema, (value) =>
  typeof value === 'string' && value.length <= EMAIL_MAX && EMAIL_PATTERN.test(value) ? value : undefined,
);

const TARGET_FIELDS = ['objectId', 'email', 'utk'] as const;

/** Whether the whole input is an object, so the cross-field rules can run beside per-field refusals. */
function isObjectPayload(payload: { value: unknown }): boolean {
  return typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value);
}

/** The names of every field of a timeline event input, in wire order. */
export const TIMELINE_EVENT_FIELDS = [
  'eventTemplateId',
  'id',
  'tokens',
  'objectId',
  'email',
  'utk',
  'domain',
  'customObjectTypeId',
  'timestamp',
  'extraData',
  'timelineIFrame',
] as const;

/** The names of every field an app may record: the event's fields and the `account` it belongs to. */
export const TIMELINE_EVENT_INPUT_FIELDS = [...TIMELINE_EVENT_FIELDS, 'account'] as const;

/** The names of the five fields of `timelineIFrame`. */
export const TIMELINE_IFRAME_FIELDS = ['linkLabel', 'headerLabel', 'url', 'width', 'height'] as const;

/**
 * The zod schema of a {@link TimelineEventInput}. Parsing checks every rule and normalises each field to its
 * wire form (strings for ids and tokens, ISO 8601 UTC for `timestamp`, a fresh plain copy of `extraData`);
 * it does not stamp a missing `id` or `timestamp` and does not check the size limit — {@link normalizeEvent}
 * does both and is what apps should call.
 *
 * Rules where HubSpot's documentation is silent are Hubline's choices, listed in {@link EVENT_LIMITS}.
 * Unknown top-level keys are refused (a typo such as `token` for `tokens` must not silently drop data).
 * Several target identifiers may be given together and are passed through as given (HubSpot documents
 * `email` with `objectId` as changing that contact's email); with `customObjectTypeId`, `objectId` is required,
 * since `email` and `utk` identify contacts only. Text identifiers and iframe labels must not be blank, and every
 * string that is sent (ids, token values, `extraData` keys and values at any depth, `utk`, iframe fields, …) must
 * be well-formed Unicode: half a surrogate pair cannot cross JSON and UTF-8 unchanged.
 */
export const timelineEventInputSchema = z
  .strictObject(
    {
      eventTemplateId: eventTemplateIdSchema,
      id: idSchema.optional(),
      tokens: tokensSchema.optional(),
      objectId: objectIdSchema.optional(),
      email: emailSchema.optional(),
      utk: wellFormedText(EVENT_LIMITS.utkLength).optional(),
      domain: z
        .hostname('must be a hostname such as example.com')
        .max(EVENT_LIMITS.domainLength, `must be at most ${EVENT_LIMITS.domainLength} characters`)
        .optional(),
      customObjectTypeId: wellFormedText(EVENT_LIMITS.customObjectTypeIdLength).optional(),
      timestamp: timestampSchema.optional(),
      extraData: extraDataSchema.optional(),
      timelineIFrame: timelineIFrameSchema.optional(),
      // Not part of the event HubSpot receives: the store keeps it beside the event.
      account: accountSchema.optional(),
    },
    {
      error: (issue) =>
        issue.code === 'invalid_type'
          ? 'a timeline event must be an object'
          : issue.code === 'unrecognized_keys'
            ? 'unknown field'
            : undefined,
    },
  )
  .refine((event) => TARGET_FIELDS.some((field) => event[field] !== undefined), {
    message: 'must name its target: `objectId`, or for contacts `email` or `utk`',
    // Run even when other fields failed, so the one error lists this problem too.
    when: isObjectPayload,
  })
  .refine(
    (event) =>
      event.customObjectTypeId === undefined ||
      event.objectId !== undefined ||
      (event.email === undefined && event.utk === undefined),
    {
      message: 'is required with customObjectTypeId: `email` and `utk` identify contacts, not custom objects',
      path: ['objectId'],
      when: isObjectPayload,
    },
  );
