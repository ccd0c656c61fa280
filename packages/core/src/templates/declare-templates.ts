import { ValidationError } from '../errors/validation-error.js';
import { type KnownFields, toValidationIssues } from '../event/validation-issues.js';
import {
  OPTION_FIELDS,
  type ParsedTemplateList,
  TEMPLATE_FIELDS,
  TOKEN_FIELDS,
  templateListSchema,
} from './template-schema.js';
import type { TemplateDeclaration, TemplateToken, TimelineEventTemplate } from './types.js';

/** The subject named in validation error messages. */
const SUBJECT = 'event templates';

/**
 * Field names by the path of the object that holds them (`[0]`, `[0].tokens[1]`, `[0].tokens[1].options[2]`,
 * with any prefix), so an unknown key is answered with the closest known field.
 */
class TemplateFields extends Map<string, readonly string[]> {
  override get(path: string): readonly string[] | undefined {
    if (/options\[\d+\]$/.test(path)) return OPTION_FIELDS;
    if (/tokens\[\d+\]$/.test(path)) return TOKEN_FIELDS;
    if (/\[\d+\]$/.test(path)) return TEMPLATE_FIELDS;
    return undefined;
  }
}

const KNOWN_FIELDS: KnownFields = new TemplateFields();

/**
 * Checks event template declarations and fills in their defaults (a token's `label` is its name, an option's
 * label its value, `required` is `false`, `options` is empty except for enumerations). Accepts templates as
 * HubSpot's `GET /integrators/timeline/v3/{appId}/event-templates` lists them (its display and date fields are
 * ignored), so an answer can be pasted in as it is. Pure; the result is frozen.
 *
 * @param declarations - the app's templates.
 * @returns the checked templates, in the order given.
 * @throws {@link ValidationError} (`VALIDATION_FAILED`) listing every problem with its path: `[0].id` (missing,
 *   blank, or repeated), `[1].tokens[2].name` (not letters, digits, `.`, `-`, `_`, or repeated), `…type` (not one
 *   of `string`, `number`, `date`, `enumeration`), `…options` (an enumeration without options, options on another
 *   type), `…options[3].value` (empty or repeated), an unknown field at its own path.
 * @example
 * ```ts
 * const templates = declareTemplates([
 *   { id: 1001234, name: 'visit', objectType: 'contacts', tokens: [
 *     { name: 'page', type: 'string', required: true },
 *     { name: 'seconds', type: 'number' },
 *     { name: 'method', type: 'enumeration', options: [{ value: 'kiosk' }, { value: 'mobile' }] },
 *   ] },
 * ]);
 * const catalog = createTemplateCatalog(templates);
 * ```
 */
export function declareTemplates(
  declarations: readonly TemplateDeclaration[],
): readonly TimelineEventTemplate[] {
  return checkTemplates(declarations, SUBJECT);
}

/**
 * {@link declareTemplates} with the subject and path prefix an error names, for callers that check templates
 * found inside something else (HubSpot's answer: `results[0].tokens[1].type`).
 *
 * @param input - anything; a list of {@link TemplateDeclaration}s when valid.
 * @param subject - what was refused, as the message names it.
 * @param prefix - the path of the list inside its container.
 * @throws {@link ValidationError} as {@link declareTemplates} does, each path under `prefix`.
 */
export function checkTemplates(
  input: unknown,
  subject: string,
  prefix: readonly PropertyKey[] = [],
): readonly TimelineEventTemplate[] {
  const result = templateListSchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({ ...issue, path: [...prefix, ...issue.path] }));
    throw new ValidationError(subject, toValidationIssues(issues, KNOWN_FIELDS));
  }
  return Object.freeze(result.data.map(toTemplate));
}

function toTemplate(parsed: ParsedTemplateList[number]): TimelineEventTemplate {
  return Object.freeze({
    id: parsed.id,
    name: parsed.name,
    objectType: parsed.objectType,
    tokens: Object.freeze((parsed.tokens ?? []).map(toToken)),
  });
}

function toToken(parsed: NonNullable<ParsedTemplateList[number]['tokens']>[number]): TemplateToken {
  const options =
    parsed.type === 'enumeration'
      ? (parsed.options ?? []).map((option) =>
          Object.freeze({ value: option.value, label: option.label ?? option.value }),
        )
      : [];
  return Object.freeze({
    name: parsed.name,
    type: parsed.type,
    label: parsed.label ?? parsed.name,
    options: Object.freeze(options),
    required: parsed.required ?? false,
  });
}
