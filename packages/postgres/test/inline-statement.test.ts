import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeText, prepareText } from '../src/storage/inline-statement.js';
import { clientRunner, type Statement } from '../src/storage/runner.js';
import { pgUrl } from './support/schemas.js';

const STATEMENT: Statement = {
  name: 'inline_test',
  text: `SELECT $1::text AS a, $2::bigint AS b, $3::boolean AS c, $4::text AS d, $5::text[] AS e,
  $6::bigint[] AS f, $7::text[] AS g, $1::text = $8 AS same, $9::boolean[] AS h, $10::float8[] AS i`,
};

/** Values a statement of the store may carry: quotes, backslashes, braces, commas, `NULL` as text, emoji. */
const AWKWARD = `it's a "quote" \\ back\\slash {brace}, comma NULL \u00e9 \u{1F600}\nnew line`;
const VALUES: readonly unknown[] = [
  AWKWARD,
  1_764_417_600_123,
  false,
  null,
  [AWKWARD, '', 'NULL', null, '\\', '"', "'", '{}'],
  [1, -2, 1_764_417_600_123],
  [],
  AWKWARD,
  [true, false, null],
  [0.5, -1e-7, 1_764_417_600_123],
];

describe('executeText', () => {
  let client: pg.Client;

  beforeAll(async () => {
    client = new pg.Client(pgUrl());
    await client.connect();
    await client.query(prepareText(STATEMENT));
  });
  afterAll(async () => {
    await client.end();
  });

  it('reads back every value as the same statement with parameters does', async () => {
    const { rows: bound } = await client.query({ text: STATEMENT.text, values: [...VALUES] });
    const { rows: inlined } = await client.query(executeText(STATEMENT, VALUES));
    expect(inlined).toEqual(bound);
    expect(inlined[0]).toMatchObject({ a: AWKWARD, d: null, same: true });
    expect(inlined[0].e).toEqual([AWKWARD, '', 'NULL', null, '\\', '"', "'", '{}']);
  });

  it('reads the same with standard_conforming_strings off', async () => {
    await client.query('SET standard_conforming_strings = off');
    try {
      const { rows } = await client.query(executeText(STATEMENT, VALUES));
      expect(rows[0]).toMatchObject({ a: AWKWARD, e: [AWKWARD, '', 'NULL', null, '\\', '"', "'", '{}'] });
    } finally {
      await client.query('SET standard_conforming_strings = on');
    }
  });

  it('refuses a value it cannot write', () => {
    expect(() => executeText(STATEMENT, [Number.NaN])).toThrow(TypeError);
    expect(() => executeText(STATEMENT, [{ not: 'a scalar' }])).toThrow(TypeError);
    expect(() => executeText(STATEMENT, [[Number.POSITIVE_INFINITY]])).toThrow(TypeError);
  });

  it('reads back every value the same through the runner, which writes arrays as array text itself', async () => {
    const { rows: bound } = await client.query({ text: STATEMENT.text, values: [...VALUES] });
    expect(await clientRunner(client, false).rows(STATEMENT, VALUES)).toEqual(bound);
    expect(await clientRunner(client, true).rows(STATEMENT, VALUES)).toEqual(bound);
  });
});
