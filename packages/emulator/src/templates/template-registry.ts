import { checkTemplate, compileTemplates, type TemplateIndex, TemplateProblem } from './compile-templates.js';
import type { EventTemplate } from './template-types.js';

/** When a template and each of its tokens were created and last changed (emulator clock, epoch ms). */
export interface TemplateTimes {
  /** Template created. */
  readonly createdAt: number;
  /** Template last changed. */
  readonly updatedAt: number;
  /** Per token name: created and last changed. */
  readonly tokens: ReadonlyMap<
    string,
    {
      /** Token created (emulator clock, epoch ms). */
      readonly createdAt: number;
      /** Token last changed (emulator clock, epoch ms). */
      readonly updatedAt: number;
    }
  >;
}

/**
 * The app's event templates: one set for every account, as HubSpot keeps them per app. Starts from the
 * configured templates; the developer routes create, change and delete them. Events are judged against the
 * index in force when they arrive.
 */
export class TemplateRegistry {
  #templates: EventTemplate[];
  #index: TemplateIndex;
  readonly #times = new Map<string, TemplateTimes>();

  /**
   * A registry holding `templates`, all stamped as created at `now`.
   *
   * @param templates - the configured templates, already checked.
   * @param now - the emulator clock's reading, in epoch ms.
   */
  constructor(templates: readonly EventTemplate[], now: number) {
    this.#index = compileTemplates(templates);
    this.#templates = [...templates];
    for (const t of templates) this.#stamp(t, undefined, now);
  }

  /** The index events are judged against. */
  get index(): TemplateIndex {
    return this.#index;
  }

  /** The templates in force, in creation order. */
  list(): readonly EventTemplate[] {
    return this.#templates;
  }

  /** The template with this id, if any. */
  get(id: string): EventTemplate | undefined {
    return this.#templates.find((t) => t.id === id);
  }

  /** When the template and its tokens were created and changed. */
  times(id: string): TemplateTimes | undefined {
    return this.#times.get(id);
  }

  /** Adds a template under a new id (the next number after the largest numeric id). */
  create(template: Omit<EventTemplate, 'id'>, now: number): EventTemplate {
    let max = 1_000_000;
    for (const t of this.#templates) if (/^\d{1,15}$/.test(t.id)) max = Math.max(max, Number(t.id));
    const created: EventTemplate = { ...template, id: String(max + 1) };
    checkTemplate(created, '');
    this.#set([...this.#templates, created]);
    this.#stamp(created, undefined, now);
    return created;
  }

  /** Replaces the template with this id (its id and object type are kept). */
  replace(id: string, template: Omit<EventTemplate, 'id' | 'objectType'>, now: number): EventTemplate {
    const old = this.get(id);
    if (old === undefined) throw new TemplateProblem('eventTemplateId', `no event template ${id}`);
    const next: EventTemplate = { ...template, id, objectType: old.objectType };
    checkTemplate(next, '');
    this.#set(this.#templates.map((t) => (t.id === id ? next : t)));
    this.#stamp(next, old, now);
    return next;
  }

  /** Deletes a template; events already stored under it stay. */
  remove(id: string): boolean {
    if (this.get(id) === undefined) return false;
    this.#set(this.#templates.filter((t) => t.id !== id));
    this.#times.delete(id);
    return true;
  }

  #set(templates: EventTemplate[]): void {
    this.#index = compileTemplates(templates);
    this.#templates = templates;
  }

  /** Records times: a token keeps its creation time, and its change time unless it changed. */
  #stamp(template: EventTemplate, old: EventTemplate | undefined, now: number): void {
    const before = old === undefined ? undefined : this.#times.get(old.id);
    const tokens = new Map<string, { createdAt: number; updatedAt: number }>();
    for (const token of template.tokens) {
      const was = before?.tokens.get(token.name);
      const same = old?.tokens.find((t) => t.name === token.name);
      const unchanged = same !== undefined && JSON.stringify(same) === JSON.stringify(token);
      tokens.set(token.name, {
        createdAt: was?.createdAt ?? now,
        updatedAt: unchanged && was !== undefined ? was.updatedAt : now,
      });
    }
    this.#times.set(template.id, { createdAt: before?.createdAt ?? now, updatedAt: now, tokens });
  }
}
