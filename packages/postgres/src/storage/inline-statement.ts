import { literalOf } from './literals.js';
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
export function executedName(statement: Statement): string {
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
