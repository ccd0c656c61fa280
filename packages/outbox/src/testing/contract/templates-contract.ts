import { createTemplateCatalog, declareTemplates, isHublineError, type TemplateChecker } from '@hubline/core';
import { expect, it } from 'vitest';
import { type ContractHarness, failureOf, input } from './harness.js';

/** The app's one template in these tests: the one `input()` records. */
const CONTRACT_TEMPLATES: TemplateChecker = createTemplateCatalog(
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

/**
 * Recording with the app's templates: an event that does not fit is refused at record time, naming the field.
 *
 * @param h - the suite's harness
 */
export function templatesContract(h: ContractHarness): void {
  it('refuses, naming each field, an event that does not fit its template, and writes nothing', async () => {
    const store = await h.open({ templates: CONTRACT_TEMPLATES });
    const error = await failureOf(() =>
      store.recordMany([
        input(1),
        input(2, { id: 'misfit', tokens: { page: '/a', seconds: 'long', colour: 'red' } }),
      ]),
    );
    expect(isHublineError(error, 'VALIDATION_FAILED')).toBe(true);
    const paths = (error as { issues: { path: string }[] }).issues.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['[1].tokens.seconds', '[1].tokens.colour']));
    expect((await store.stats()).pending).toBe(0);
    const unknown = await failureOf(() => store.record(input(3, { eventTemplateId: '999' })));
    expect((unknown as Error).message).toMatch(/eventTemplateId/);
    expect(await store.record(input(4))).toEqual(expect.any(String));
  });

  it('checks nothing without templates, and refuses a checker that is not one', async () => {
    const store = await h.open();
    expect(await store.record(input(5, { eventTemplateId: '999' }))).toEqual(expect.any(String));
    const refused = await failureOf(() => h.open({ templates: {} as TemplateChecker }));
    expect(isHublineError(refused, 'VALIDATION_FAILED')).toBe(true);
    expect((refused as Error).message).toMatch(/templates/);
  });
}
