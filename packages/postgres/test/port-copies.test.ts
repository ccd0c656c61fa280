import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const PORT = new URL('../src/port/', import.meta.url);
const OUTBOX = new URL('../../outbox/', import.meta.url);

/*
 * `src/port/` holds copies of the SQLite outbox's argument checks and lifecycle decisions, which every store must
 * share and which the outbox does not export. Until they move to @hubline/core, this keeps the copies word for
 * word: a change to either side fails here instead of letting the two stores drift apart.
 */
describe('the copies of the outbox port helpers', () => {
  const files = readdirSync(PORT).filter((name) => name.endsWith('.ts'));

  it('are all there', () => {
    expect(files.length).toBeGreaterThanOrEqual(9);
  });

  it.each(files)('%s is the outbox file it names, word for word', (name) => {
    const [header, next, ...body] = readFileSync(new URL(name, PORT), 'utf8').split('\n');
    const origin = /^\/\/ A copy of @hubline\/outbox's (src\/\S+\.ts),/.exec(header ?? '')?.[1];
    expect(origin, `${name} must start by naming the file it copies`).toBeDefined();
    expect(next).toMatch(/^\/\/ and the outbox does not export it\./);
    expect(body.join('\n')).toBe(readFileSync(new URL(origin!, OUTBOX), 'utf8'));
  });
});
