import type { Statement } from './runner.js';
import { storableValues } from './storable-text.js';

/*
 * A statement run with its parameters written as literals, for PostgreSQL's simple protocol: several statements
 * then go in one round trip (`BEGIN`, the clock row and a transaction's first read; its last write and `COMMIT`).
 * The statement is prepared once per connection with SQL's `PREPARE` and run with `EXECUTE`, so PostgreSQL
 * parses and plans it once, as it does a statement the driver prepares. Each value becomes a quoted literal,
 * which PostgreSQL types as the prepared statement's parameter; the statements cast the ones it could not infer.
 */

/**
 * The name `statement` is prepared under with SQL's `PREPARE`, to be run with {@link executeText}: a name of its
 * own, apart from the one the driver prepares it under (`PREPARE` would refuse a name already taken).
 *
 * @param statement - the statement
 */
function executedName(statement: Statement): string {
  return `${statement.name}_x`;
}

/**
 * `PREPARE` for `statement`: once per connection, so that PostgreSQL parses and plans it once rather than on
 * every run of {@link executeText}.
 *
 * @param statement - the statement
 */
export function prepareText(statement: Statement): string {
  return `PREPARE ${executedName(statement)} AS ${statement.text}`;
}

/**
 * `EXECUTE` of a statement prepared by {@link prepareText}, with `values` as literals: for the simple protocol,
 * without PostgreSQL parsing and planning the statement again.
 *
 * @param statement - the statement, prepared on the connection
 * @param values - its parameters, `$1` first
 */
export function executeText(statement: Statement, values: readonly unknown[]): string {
  const storable = storableValues(values);
  return `EXECUTE ${executedName(statement)}(${storable.map(literalOf).join(', ')})`;
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
