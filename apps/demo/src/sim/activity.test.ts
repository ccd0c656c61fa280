import { createSeededRandom } from '@hubline/core';
import { defaultTemplates, type EventTemplate } from '@hubline/emulator';
import { describe, expect, it } from 'vitest';
import { createActivity, createDevices, createInvalidActivity, EMULATOR_TEMPLATES } from './activity.js';

function templateOf(id: string): EventTemplate {
  const template = defaultTemplates.find((candidate) => candidate.id === id);
  if (template === undefined) throw new Error(`no emulator template ${id}`);
  return template;
}

/** Whether `value` is one of an enumeration token's options (bare, or HubSpot's `{ value, label }`). */
function isOption(token: EventTemplate['tokens'][number], value: string): boolean {
  return (token.options ?? []).some(
    (option) => (typeof option === 'string' ? option : option.value) === value,
  );
}

/** What is wrong with one token's value, by the emulator's rules; `undefined` when nothing is. */
function tokenProblem(template: EventTemplate, name: string, raw: unknown): string | undefined {
  const token = template.tokens.find((candidate) => candidate.name === name);
  const value = String(raw);
  if (token === undefined) return `unknown token ${name}`;
  if (token.type === 'number' && !Number.isFinite(Number(value))) return `${name} not a number`;
  if (token.type === 'date' && Number.isNaN(Date.parse(value))) return `${name} not a date`;
  if (token.type === 'enumeration' && !isOption(token, value)) return `${name} not an option`;
  return undefined;
}

/** The emulator's rules, restated: a mismatch here would dead-letter the demo's events. */
function problems(input: ReturnType<typeof createActivity>): string[] {
  const template = templateOf(String(input.eventTemplateId));
  const found: string[] = [];
  if (template.objectType === 'contacts' && input.email === undefined) found.push('contact without email');
  if (template.objectType !== 'contacts' && input.objectId === undefined)
    found.push('object without objectId');
  for (const [name, raw] of Object.entries(input.tokens ?? {})) {
    const problem = tokenProblem(template, name, raw);
    if (problem !== undefined) found.push(problem);
  }
  return found;
}

describe('createActivity', () => {
  it("records only events the emulator's default templates accept, of every kind", () => {
    const random = createSeededRandom(11);
    const devices = createDevices(3);
    const kinds = new Set<string>();
    for (let index = 0; index < 2000; index += 1) {
      const input = createActivity(
        random,
        devices[index % 3]!,
        EMULATOR_TEMPLATES,
        1_700_000_000_000 + index,
      );
      expect(problems(input), JSON.stringify(input)).toEqual([]);
      kinds.add(String(input.eventTemplateId));
    }
    expect([...kinds].sort()).toEqual(defaultTemplates.map((template) => template.id).sort());
  });

  it('names each kind after the emulator template of the same name', () => {
    for (const [kind, id] of Object.entries(EMULATOR_TEMPLATES)) expect(templateOf(id!).name).toBe(kind);
  });

  it('tells the same story for the same seed', () => {
    const [device] = createDevices(1);
    const story = (seed: number) =>
      Array.from({ length: 20 }, (_, i) =>
        createActivity(createSeededRandom(seed + i), device!, EMULATOR_TEMPLATES, 0),
      );
    expect(story(3)).toEqual(story(3));
    expect(story(3)).not.toEqual(story(4));
  });

  it('uses only the configured templates (one real HubSpot template)', () => {
    const random = createSeededRandom(1);
    const [device] = createDevices(1);
    for (let index = 0; index < 200; index += 1) {
      expect(createActivity(random, device!, { visit: '555' }, 0).eventTemplateId).toBe('555');
    }
  });
});

describe('createInvalidActivity', () => {
  it('breaks a number token, which only the template (HubSpot) can refuse', () => {
    const [device] = createDevices(1);
    expect(problems(createInvalidActivity(device!, EMULATOR_TEMPLATES, 0))).toEqual(['seconds not a number']);
  });
});
