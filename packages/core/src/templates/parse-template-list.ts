import { ValidationError } from '../errors/validation-error.js';
import { checkTemplates } from './declare-templates.js';
import { TEMPLATE_TOKEN_TYPES } from './template-schema.js';
import type { TemplateTokenType, TimelineEventTemplate } from './types.js';

/** The subject named in validation error messages. */
const SUBJECT = 'event template list';

/**
 * Reads HubSpot's answer to `GET /integrators/timeline/v3/{appId}/event-templates`
 * (`CollectionResponseTimelineEventTemplateNoPaging`: `{"results": [TimelineEventTemplate, …]}`) into checked
 * templates. It reads what HubSpot may add or change without refusing events it would take:
 *
 * - fields Hubline does not use (`headerTemplate`, `createdAt`, `objectPropertyName`, new ones) are dropped;
 * - a missing or `null` token `label` becomes the name, `null` options none;
 * - a token of a type Hubline does not know, or an `enumeration` listed without options, is checked as a
 *   `string` (its values are not judged), since refusing values HubSpot may take would block recording.
 *
 * Anything else malformed (no `results` array, a template without an id, a token without a name) refuses the
 * whole answer: a catalog built from part of a list would refuse every event of the missing templates.
 *
 * @param body - the answer's body text.
 * @returns the templates, in HubSpot's order.
 * @throws {@link ValidationError} (`VALIDATION_FAILED`, subject `event template list`) naming the path
 *   (`results`, `results[2].tokens[0].name`) when the body is not such a list.
 */
export function parseTemplateList(body: string): readonly TimelineEventTemplate[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new ValidationError(SUBJECT, [{ path: '', message: 'is not JSON' }], { cause: error });
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.results)) {
    throw new ValidationError(SUBJECT, [{ path: 'results', message: 'must be an array of templates' }]);
  }
  return checkTemplates(parsed.results.map(readTemplate), SUBJECT, ['results']);
}

/** The fields of one listed template that Hubline uses; anything else is passed on for the schema to refuse. */
function readTemplate(template: unknown): unknown {
  if (!isRecord(template)) return template;
  return {
    id: template.id,
    // The name only labels messages: a template listed without one is named by its id.
    name:
      typeof template.name === 'string' && template.name.trim() !== '' ? template.name : String(template.id),
    objectType: template.objectType,
    tokens: Array.isArray(template.tokens) ? template.tokens.map(readToken) : (template.tokens ?? undefined),
  };
}

function readToken(token: unknown): unknown {
  if (!isRecord(token)) return token;
  const options = Array.isArray(token.options) ? token.options.map(readOption) : [];
  const known = TEMPLATE_TOKEN_TYPES.includes(token.type as TemplateTokenType);
  const checkedAsString = !known || (token.type === 'enumeration' && options.length === 0);
  return {
    name: token.name,
    type: checkedAsString ? 'string' : token.type,
    ...(typeof token.label === 'string' ? { label: token.label } : {}),
    ...(checkedAsString || token.type !== 'enumeration' ? {} : { options }),
  };
}

function readOption(option: unknown): unknown {
  if (!isRecord(option)) return option;
  return { value: option.value, ...(typeof option.label === 'string' ? { label: option.label } : {}) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
