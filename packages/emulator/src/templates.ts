import type { EventTemplate, TemplateTokenOption, TemplateTokenType } from './types.js';

/** A template prepared for fast checks. */
export interface CompiledTemplate {
  /** The template id events send as `eventTemplateId`. */
  readonly id: string;
  /** The template's name, which a `2026-03` `eventTypeName` may use. */
  readonly name: string | undefined;
  /** The CRM object type, as configured. */
  readonly objectType: string;
  /** Contacts may be named by `email` or `utk`; every other object type needs `objectId`. */
  readonly isContact: boolean;
  /** Declared tokens by name: their type, and for enumerations the allowed values. */
  readonly tokens: ReadonlyMap<
    string,
    { readonly type: TemplateTokenType; readonly options?: ReadonlySet<string> }
  >;
}

/** Templates by id and by name. */
export interface TemplateIndex {
  /** Templates by id. */
  readonly byId: ReadonlyMap<string, CompiledTemplate>;
  /** Templates that have a name, by name. */
  readonly byName: ReadonlyMap<string, CompiledTemplate>;
  /** The templates as configured, in order. */
  readonly list: readonly EventTemplate[];
}

const tokenName = /^[A-Za-z0-9._-]+$/;
const tokenTypes: readonly TemplateTokenType[] = ['string', 'number', 'date', 'enumeration'];

/** Checks and indexes templates, naming the field at fault. */
export function compileTemplates(templates: readonly EventTemplate[]): TemplateIndex {
  const byId = new Map<string, CompiledTemplate>();
  const byName = new Map<string, CompiledTemplate>();
  templates.forEach((t, i) => {
    const at = `templates[${i}]`;
    if (typeof t.id !== 'string' || t.id.length === 0)
      throw new TypeError(`${at}.id: must be a non-empty string`);
    if (byId.has(t.id)) throw new TypeError(`${at}.id: duplicate template id ${t.id}`);
    if (typeof t.objectType !== 'string' || t.objectType.length === 0) {
      throw new TypeError(`${at}.objectType: must be a non-empty string`);
    }
    if (!Array.isArray(t.tokens)) throw new TypeError(`${at}.tokens: must be an array`);
    const tokens = new Map<string, { type: TemplateTokenType; options?: ReadonlySet<string> }>();
    t.tokens.forEach((token, j) => {
      const tat = `${at}.tokens[${j}]`;
      if (typeof token.name !== 'string' || !tokenName.test(token.name)) {
        throw new TypeError(`${tat}.name: letters, digits, '.', '-', '_' only`);
      }
      if (!tokenTypes.includes(token.type))
        throw new TypeError(`${tat}.type: one of ${tokenTypes.join(', ')}`);
      if (token.type === 'enumeration') {
        if (!Array.isArray(token.options) || token.options.length === 0) {
          throw new TypeError(`${tat}.options: an enumeration token needs options`);
        }
        const given: readonly TemplateTokenOption[] = token.options;
        const options = new Set(given.map((o) => (typeof o === 'string' ? o : o.value)));
        tokens.set(token.name, { type: token.type, options });
      } else {
        tokens.set(token.name, { type: token.type });
      }
    });
    const compiled: CompiledTemplate = {
      id: t.id,
      name: t.name,
      objectType: t.objectType,
      isContact: t.objectType.toLowerCase() === 'contacts' || t.objectType.toLowerCase() === 'contact',
      tokens,
    };
    byId.set(t.id, compiled);
    if (t.name !== undefined) byName.set(t.name, compiled);
  });
  return { byId, byName, list: templates };
}
