import type { Statement } from './runner.js';
import { storableValues } from './storable-text.js';

/*
 * A statement with its parameters written into its text, for PostgreSQL's simple protocol: several statements
 * then go in one round trip (`BEGIN`, the clock row and a transaction's first read; its last write and `COMMIT`).
 * Each value becomes a quoted literal, which PostgreSQL types from where it stands, as it types an untyped
 * parameter; the statements cast the ones it could not.
 */

/**
 * The text of `statement` with each `$n` replaced by the literal of `values[n - 1]`.
 *
 * @param statement - the statement
 * @param values - its parameters: strings, finite numbers, booleans, `null`, or flat arrays of those
 */
export function inlineStatement(statement: Statement, values: readonly unknown[]): string {
  const storable = storableValues(values);
  return statement.text.replace(/\$(\d+)/g, (_, n: string) => literalOf(storable[Number(n) - 1]));
}

/** A value as an SQL literal: `NULL`, or an escape-string constant, which reads the same whatever `standard_conforming_strings` says. */
function literalOf(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  const text = Array.isArray(value) ? arrayLiteralOf(value) : scalarText(value);
  return `E'${NEEDS_STRING_ESCAPE.test(text) ? text.replace(/\\/g, '\\\\').replace(/'/g, "''") : text}'`;
}

/** Characters an escape-string constant must double. */
const NEEDS_STRING_ESCAPE = /['\\]/;

/** Characters a quoted array element must escape with a backslash. */
const NEEDS_ELEMENT_ESCAPE = /["\\]/;

/**
 * A flat array as PostgreSQL's array input reads it: strings quoted (a string such as `NULL` or `a,b` stays
 * itself), numbers and booleans bare, `NULL` unquoted.
 */
function arrayLiteralOf(values: readonly unknown[]): string {
  const elements = values.map((value) => {
    if (value === null || value === undefined) return 'NULL';
    const text = scalarText(value);
    if (typeof value !== 'string') return text;
    return `"${NEEDS_ELEMENT_ESCAPE.test(text) ? text.replace(/\\/g, '\\\\').replace(/"/g, '\\"') : text}"`;
  });
  return `{${elements.join(',')}}`;
}

/** A scalar's text. */
function scalarText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (Number.isFinite(value)) return String(value);
      break;
    default:
      break;
  }
  throw new TypeError(`Cannot write ${String(value)} into a statement`);
}
