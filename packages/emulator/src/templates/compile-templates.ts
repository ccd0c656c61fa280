import type {
  EventTemplate,
  TemplateToken,
  TemplateTokenOption,
  TemplateTokenType,
} from './template-types.js';

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
    {
      /** How a value of this token is checked. */
      readonly type: TemplateTokenType;
      /** The values an `enumeration` token allows; absent for the other types. */
      readonly options?: ReadonlySet<string>;
    }
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

/** A template or token that breaks the rules, with the field at fault (`in`, HubSpot's `ErrorDetail.in`). */
export class TemplateProblem extends TypeError {
  /** The field at fault, e.g. `templates[0].tokens[1].name`. */
  readonly in: string;

  /**
   * A problem whose message is `at: reason`.
   *
   * @param at - the field at fault, e.g. `templates[0].tokens[1].name`.
   * @param reason - what is wrong with it, e.g. `must not be empty`.
   */
  constructor(at: string, reason: string) {
    super(`${at}: ${reason}`);
    this.name = 'TemplateProblem';
    this.in = at;
  }
}

const tokenName = /^[A-Za-z0-9._-]+$/;
const tokenTypes: readonly TemplateTokenType[] = ['string', 'number', 'date', 'enumeration'];

/** `at.field`, or `field` at the top. */
export function fieldAt(at: string, field: string): string {
  return at === '' ? field : `${at}.${field}`;
}

/** Checks one token, naming the field at fault. */
function checkToken(token: TemplateToken, at: string): void {
  if (typeof token !== 'object' || token === null) throw new TemplateProblem(at, 'must be an object');
  if (typeof token.name !== 'string' || !tokenName.test(token.name)) {
    throw new TemplateProblem(fieldAt(at, 'name'), "letters, digits, '.', '-', '_' only");
  }
  if (!tokenTypes.includes(token.type)) {
    throw new TemplateProblem(fieldAt(at, 'type'), `one of ${tokenTypes.join(', ')}`);
  }
  if (token.type === 'enumeration' && (!Array.isArray(token.options) || token.options.length === 0)) {
    throw new TemplateProblem(fieldAt(at, 'options'), 'an enumeration token needs options');
  }
}

/** Checks one template (the id included), naming the field at fault. */
export function checkTemplate(t: EventTemplate, at: string): void {
  if (typeof t !== 'object' || t === null) throw new TemplateProblem(at, 'must be an object');
  if (typeof t.id !== 'string' || t.id.length === 0) {
    throw new TemplateProblem(fieldAt(at, 'id'), 'must be a non-empty string');
  }
  if (typeof t.objectType !== 'string' || t.objectType.length === 0) {
    throw new TemplateProblem(fieldAt(at, 'objectType'), 'must be a non-empty string');
  }
  if (!Array.isArray(t.tokens)) throw new TemplateProblem(fieldAt(at, 'tokens'), 'must be an array');
  const names = new Set<string>();
  t.tokens.forEach((token, j) => {
    const tat = fieldAt(at, `tokens[${j}]`);
    checkToken(token, tat);
    if (names.has(token.name)) throw new TemplateProblem(`${tat}.name`, `duplicate token name ${token.name}`);
    names.add(token.name);
  });
}

function compileOne(t: EventTemplate): CompiledTemplate {
  const tokens = new Map<string, { type: TemplateTokenType; options?: ReadonlySet<string> }>();
  for (const token of t.tokens) {
    if (token.type === 'enumeration') {
      const given: readonly TemplateTokenOption[] = token.options ?? [];
      tokens.set(token.name, {
        type: token.type,
        options: new Set(given.map((o) => (typeof o === 'string' ? o : o.value))),
      });
    } else {
      tokens.set(token.name, { type: token.type });
    }
  }
  const type = t.objectType.toLowerCase();
  return {
    id: t.id,
    name: t.name,
    objectType: t.objectType,
    isContact: type === 'contacts' || type === 'contact',
    tokens,
  };
}

/** Checks and indexes templates, naming the field at fault (`templates[i]…`). */
export function compileTemplates(templates: readonly EventTemplate[]): TemplateIndex {
  const byId = new Map<string, CompiledTemplate>();
  const byName = new Map<string, CompiledTemplate>();
  templates.forEach((t, i) => {
    const at = `templates[${i}]`;
    checkTemplate(t, at);
    if (byId.has(t.id)) throw new TemplateProblem(`${at}.id`, `duplicate template id ${t.id}`);
    const compiled = compileOne(t);
    byId.set(t.id, compiled);
    if (t.name !== undefined) byName.set(t.name, compiled);
  });
  return { byId, byName, list: templates };
}
