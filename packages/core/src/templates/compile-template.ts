import { type CompiledToken, compileToken } from './token-value-fit.js';
import type { TimelineEventTemplate } from './types.js';

/** Object types whose events may name a contact by `email` or `utk`, in lower case (HubSpot writes `contacts`). */
const CONTACT_OBJECT_TYPES = new Set(['contacts', 'contact']);

/** A template prepared for checking events on the record path. */
export interface CompiledTemplate {
  /** The template as checked. */
  readonly template: TimelineEventTemplate;
  /** Whether it is a contact template: only those take `email` or `utk` in place of `objectId`. */
  readonly isContact: boolean;
  /** Its tokens by name. */
  readonly tokens: ReadonlyMap<string, CompiledToken>;
  /** The names an event must carry, in declared order. */
  readonly required: readonly string[];
  /** How messages name it: `template 1001234 ("visit")`. */
  readonly label: string;
}

/**
 * Indexes one template for {@link checkEventAgainstTemplate}.
 *
 * @param template - a checked template.
 * @param requireAllTokens - whether every declared token is required, whatever its own flag says.
 */
export function compileTemplate(
  template: TimelineEventTemplate,
  requireAllTokens: boolean,
): CompiledTemplate {
  const tokens = new Map<string, CompiledToken>();
  for (const token of template.tokens) tokens.set(token.name, compileToken(token));
  return {
    template,
    isContact: isContactObjectType(template.objectType),
    tokens,
    required: template.tokens
      .filter((token) => requireAllTokens || token.required)
      .map((token) => token.name),
    label: `template ${template.id} (${JSON.stringify(template.name)})`,
  };
}

/**
 * Whether a template's `objectType` is contacts (`contacts`, `CONTACT`, … in any case), the one object type
 * whose events may name their record by `email` or `utk`.
 *
 * @param objectType - a template's `objectType`.
 */
export function isContactObjectType(objectType: string): boolean {
  return CONTACT_OBJECT_TYPES.has(objectType.trim().toLowerCase());
}
