import { type SQL, sql } from 'drizzle-orm';
import type { ClientBase } from 'pg';
import { arrayLiteral } from './literals.js';
import { storableValues } from './storable-text.js';

/** One SQL statement of the store: its text, and the name it is prepared under on the store's own connections. */
export interface Statement {
  /** `hubline_` and a hash of the text: two schemas' statements never share a name on one connection. */
  readonly name: string;
  /** The SQL, with `$1`, `$2`… parameters and the store's schema in it. */
  readonly text: string;
}

/** Something that runs the store's statements: a connection of the store, or the app's transaction. */
export interface Runner {
  /**
   * Runs one statement.
   *
   * @param statement - the statement
   * @param values - its parameters, `$1` first
   * @returns its rows (the statements cast the numbers they return to types every client reads as numbers)
   */
  rows<R>(statement: Statement, values: readonly unknown[]): Promise<R[]>;
}

/**
 * A runner on a `pg` client or pool: a connection of the store, its pool, or the app's own client.
 *
 * @param client - the client
 * @param prepared - whether to prepare statements by name on the connection (the store's own connections):
 *   PostgreSQL then parses and plans each once per connection. Off for the app's clients, which may sit behind
 *   a pooler that does not keep prepared statements.
 */
export function clientRunner(client: Pick<ClientBase, 'query'>, prepared: boolean): Runner {
  return {
    async rows<R>(statement: Statement, values: readonly unknown[]): Promise<R[]> {
      const result = await client.query({
        ...(prepared ? { name: statement.name } : {}),
        text: statement.text,
        values: parametersOf(values),
      });
      return result.rows as R[];
    },
  };
}

/**
 * What the store needs of a drizzle transaction: to run raw SQL in it. Declared without drizzle's own types, so
 * that an app's type check never has to read drizzle's declarations through this package's (any drizzle
 * transaction fits).
 */
export interface DrizzleExecutor {
  /** drizzle's `execute`: runs the SQL (a drizzle `SQL` object) on the transaction's connection. */
  execute(query: unknown): PromiseLike<unknown>;
}

/**
 * A runner on a drizzle transaction: each statement goes through drizzle's `execute`, on the transaction's
 * connection.
 *
 * @param tx - the drizzle transaction
 */
export function drizzleRunner(tx: DrizzleExecutor): Runner {
  return {
    async rows<R>(statement: Statement, values: readonly unknown[]): Promise<R[]> {
      const result = (await tx.execute(toDrizzleSql(statement.text, parametersOf(values)))) as {
        rows: R[];
      };
      return result.rows;
    },
  };
}

/**
 * A statement's parameters as they go to the driver: storable (see `storableValues`), and each array already
 * written as PostgreSQL's array text, which the statements cast (the driver would write the same text, copying
 * each string more often on the way).
 */
function parametersOf(values: readonly unknown[]): unknown[] {
  return storableValues(values).map((value) => (Array.isArray(value) ? arrayLiteral(value) : value));
}

/**
 * A `$n`-parameterised statement as drizzle's SQL object: the text between the parameters as raw SQL, each
 * parameter as a bound value (drizzle numbers them again, in order).
 *
 * @param text - the statement
 * @param values - its parameters
 */
function toDrizzleSql(text: string, values: readonly unknown[]): SQL {
  const chunks: (SQL | ReturnType<typeof sql.param>)[] = [];
  let from = 0;
  for (const match of text.matchAll(/\$(\d+)/g)) {
    chunks.push(sql.raw(text.slice(from, match.index)));
    // A parameter as one bound value: drizzle's template would spread an array into a list.
    chunks.push(sql.param(values[Number(match[1]) - 1]));
    from = match.index + match[0].length;
  }
  chunks.push(sql.raw(text.slice(from)));
  return sql.join(chunks);
}
