import type Database from 'better-sqlite3';

/** Rows per statement run: large enough to amortise a call, small enough to keep few statements cached. */
const DEFAULT_CHUNK = 32;

/**
 * One SQL statement run over many rows at once: `rows(n)` writes the statement for `n` rows of `columns`
 * positional parameters each (e.g. a multi-row `VALUES`). Statements are prepared lazily per row count and
 * cached, and rows are sent in chunks of at most `chunk`, so at most `chunk` statements are ever prepared.
 * One call per chunk instead of one per row saves the per-call cost of better-sqlite3 and SQLite (binding,
 * stepping, resetting), which was most of the outbox's overhead on claim and settle.
 */
export class BulkStatement {
  readonly #db: Database.Database;
  readonly #sql: (rows: number) => string;
  readonly #columns: number;
  readonly #chunk: number;
  readonly #raw: boolean;
  readonly #cache = new Map<number, Database.Statement>();
  /** The one array every full chunk is bound through (better-sqlite3 copies bound values). */
  readonly #full: unknown[];

  /**
   * @param db - the connection
   * @param sql - the statement text for a given number of rows
   * @param columns - positional parameters per row
   * @param raw - a query returns its rows as arrays (better-sqlite3's `raw()`) @default false
   * @param chunk - rows per run @default 32
   */
  constructor(
    db: Database.Database,
    sql: (rows: number) => string,
    columns: number,
    raw = false,
    chunk = DEFAULT_CHUNK,
  ) {
    this.#db = db;
    this.#sql = sql;
    this.#columns = columns;
    this.#raw = raw;
    this.#chunk = chunk;
    this.#full = new Array<unknown>(columns * chunk);
  }

  /**
   * Runs the statement over `values`, the rows' parameters one row after the other.
   *
   * @param values - `columns` values per row
   */
  run(values: readonly unknown[]): void {
    this.#each(values, (statement, part) => statement.run(part));
  }

  /**
   * Runs a query over `values` and returns every row of every chunk.
   *
   * @param values - `columns` values per row
   */
  all<T>(values: readonly unknown[]): T[] {
    const out: T[] = [];
    this.#each(values, (statement, part) => {
      for (const row of statement.all(part) as T[]) out.push(row);
    });
    return out;
  }

  #each(values: readonly unknown[], use: (statement: Database.Statement, part: unknown[]) => void): void {
    const width = this.#columns * this.#chunk;
    for (let from = 0; from < values.length; from += width) {
      // better-sqlite3 copies bound values, so every full chunk can go through one reused array.
      const part = values.length - from >= width ? this.#fill(values, from, width) : values.slice(from);
      use(this.#statement(part.length / this.#columns), part);
    }
  }

  /** The reused array of one full chunk, holding `values[from, from + width)`. */
  #fill(values: readonly unknown[], from: number, width: number): unknown[] {
    const part = this.#full;
    for (let index = 0; index < width; index++) part[index] = values[from + index];
    return part;
  }

  #statement(rows: number): Database.Statement {
    let statement = this.#cache.get(rows);
    if (statement === undefined) {
      statement = this.#db.prepare(this.#sql(rows));
      if (this.#raw) statement.raw();
      this.#cache.set(rows, statement);
    }
    return statement;
  }
}

/**
 * `n` rows of `columns` positional parameters, for a multi-row `VALUES` list: `(?, ?), (?, ?)`.
 *
 * @param rows - how many rows
 * @param columns - parameters per row
 */
export function placeholders(rows: number, columns: number): string {
  const row = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  return Array.from({ length: rows }, () => row).join(', ');
}
