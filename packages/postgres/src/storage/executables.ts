import type { ClientBase } from 'pg';
import { executedName, executeText, prepareText } from './inline-statement.js';
import type { Statement } from './runner.js';

/*
 * Which statements each connection has prepared with SQL's `PREPARE`, for every store in the process: stores on
 * one pool (the app's) share its connections, and a name a closed store prepared is still taken on the
 * connection. Names hash the statement's text, the schema in it, so one name is one statement everywhere.
 */

/** By connection: the names prepared on it, or the read of them from the server under way. */
const preparedOn = new WeakMap<ClientBase, Promise<Set<string>>>();

/**
 * `EXECUTE` of `statement` with `values`, for a multi-statement round trip on `client`: the statement is
 * prepared with SQL's `PREPARE` on its first use on the connection, in a round trip of its own.
 *
 * @param client - a connection of the pool, not in a failed transaction
 * @param statement - the statement
 * @param values - its parameters, `$1` first
 */
export async function executable(
  client: ClientBase,
  statement: Statement,
  values: readonly unknown[],
): Promise<string> {
  await ensurePrepared(client, statement);
  return executeText(statement, values);
}

/**
 * Makes sure `statement` is prepared on `client` (once per connection). The first time a
 * connection is seen, the names already prepared on it are read from the server (`pg_prepared_statements`): a
 * copy of this module loaded twice, or a `PREPARE` whose answer was lost, then never prepares a name again. After
 * a failure the connection is read again next time.
 *
 * @param client - a connection of the pool, not in a failed transaction
 * @param statement - the statement
 */
async function ensurePrepared(client: ClientBase, statement: Statement): Promise<void> {
  let prepared = preparedOn.get(client);
  if (prepared === undefined) {
    prepared = readPrepared(client);
    preparedOn.set(client, prepared);
  }
  try {
    const names = await prepared;
    const name = executedName(statement);
    if (names.has(name)) return;
    await client.query(prepareText(statement));
    names.add(name);
  } catch (error) {
    preparedOn.delete(client);
    throw error;
  }
}

async function readPrepared(client: ClientBase): Promise<Set<string>> {
  const { rows } = await client.query<{ name: string }>(
    "SELECT name FROM pg_prepared_statements WHERE name LIKE 'hubline\\_%\\_x'",
  );
  return new Set(rows.map((row) => row.name));
}
