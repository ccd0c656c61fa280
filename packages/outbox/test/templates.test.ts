import { createTemplateCatalog, declareTemplates, isHublineError, type TemplateChecker } from '@hubline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { openOutbox } from '../src/index.js';
import { createMemoryStore } from '../src/testing/index.js';
import { sampleInput, tempDir } from './support.js';

const catalog = createTemplateCatalog(
  declareTemplates([
    {
      id: '1001234',
      name: 'visit',
      objectType: 'contacts',
      tokens: [
        { name: 'page', type: 'string' },
        { name: 'seconds', type: 'number' },
      ],
    },
  ]),
);

const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

const stores = {
  sqlite: (templates?: TemplateChecker) => {
    const dir = tempDir();
    dirs.push(dir);
    return openOutbox({ path: dir.path(), ...(templates === undefined ? {} : { templates }) });
  },
  memory: (templates?: TemplateChecker) => createMemoryStore(templates === undefined ? {} : { templates }),
};

describe.each(Object.entries(stores))('record with the app’s templates (%s store)', (_name, open) => {
  it('refuses, naming each field, an event that does not fit its template, and writes nothing', () => {
    const store = open(catalog);
    const error = (() => {
      try {
        store.recordMany([
          sampleInput(1),
          sampleInput(2, { id: 'misfit', tokens: { page: '/a', seconds: 'long', colour: 'red' } }),
        ]);
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(isHublineError(error, 'VALIDATION_FAILED')).toBe(true);
    const paths = (error as { issues: { path: string }[] }).issues.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['[1].tokens.seconds', '[1].tokens.colour']));
    expect(store.stats().pending).toBe(0);
    expect(() => store.record(sampleInput(3, { eventTemplateId: '999' }))).toThrow(/eventTemplateId/);
    expect(store.record(sampleInput(4))).toEqual(expect.any(String));
    store.close();
  });

  it('checks nothing without templates, and refuses a checker that is not one', () => {
    const store = open();
    expect(store.record(sampleInput(5, { eventTemplateId: '999' }))).toEqual(expect.any(String));
    store.close();
    expect(() => open({} as TemplateChecker)).toThrow(/templates/);
  });
});
