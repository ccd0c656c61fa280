import type { ValidationIssue } from '../errors/validation-error.js';
import type { TimelineEvent } from '../event/types.js';
import { checkEventAgainstTemplate } from './check-event.js';
import { type CompiledTemplate, compileTemplate } from './compile-template.js';
import { declareTemplates } from './declare-templates.js';
import { resolveCatalogOptions, type TemplateCatalogOptions } from './template-catalog-options.js';
import type { TemplateCatalog, TemplateDeclaration, TimelineEventTemplate } from './types.js';

/** How many known template ids an "unknown template" message lists. */
const LISTED_TEMPLATES = 10;

/**
 * A catalog of the app's event templates that checks events against them: the template must exist, every token
 * must be one it declares and fit its type, required tokens must be present, and the event must name its record
 * the way the template's object type needs. Templates are checked first (see {@link declareTemplates}), so a
 * catalog never holds a malformed one. Pure: no I/O and no clock; `check` is cheap enough for the record path.
 *
 * Templates belong to the app, not to an account: one catalog serves every HubSpot account the app records for.
 *
 * @param templates - the templates, declared in code (checked here) or from {@link declareTemplates}.
 * @param options - how strictly events are held to them.
 * @throws {@link ValidationError} (`VALIDATION_FAILED`) naming every bad template field (`[0].tokens[1].type`) or
 *   option (`requireAllTokens`, `dateTokens`).
 * @example
 * ```ts
 * const catalog = createTemplateCatalog([
 *   { id: '1001235', name: 'check-in', objectType: 'companies', tokens: [
 *     { name: 'method', type: 'enumeration', options: [{ value: 'kiosk' }, { value: 'staff' }] },
 *   ] },
 * ]);
 * catalog.check(event);
 * // [{ path: 'tokens.method', message: 'must be one of "kiosk", "staff"' },
 * //  { path: 'email', message: 'identifies a contact, but template 1001235 ("check-in") is for companies: …' }]
 * ```
 */
export function createTemplateCatalog(
  templates: readonly TemplateDeclaration[],
  options: TemplateCatalogOptions = {},
): TemplateCatalog {
  const { requireAllTokens, dateTokens } = resolveCatalogOptions(options);
  const checked = declareTemplates(templates);
  const byId = new Map<string, CompiledTemplate>();
  for (const template of checked) byId.set(template.id, compileTemplate(template, requireAllTokens));
  const unknown = unknownTemplateMessage(checked);
  return {
    templates: checked,
    get: (eventTemplateId: string): TimelineEventTemplate | undefined => byId.get(eventTemplateId)?.template,
    check(event: TimelineEvent): readonly ValidationIssue[] {
      const compiled = byId.get(event.eventTemplateId);
      if (compiled === undefined) return [{ path: 'eventTemplateId', message: unknown }];
      return checkEventAgainstTemplate(compiled, event, dateTokens);
    },
  };
}

/** The one message for an unknown template id: it names the ids the catalog knows. */
function unknownTemplateMessage(templates: readonly TimelineEventTemplate[]): string {
  if (templates.length === 0) return 'is not a known event template (the catalog has none)';
  const shown = templates.slice(0, LISTED_TEMPLATES).map((template) => template.id);
  const more = templates.length - shown.length;
  return `is not a known event template (known: ${shown.join(', ')}${more > 0 ? `, and ${more} more` : ''})`;
}
