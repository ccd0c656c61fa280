import pg from 'pg';
import { inject } from 'vitest';

/** The server of this test run: `HUBLINE_PG_URL`, or the throwaway cluster the project's global setup started. */
export function pgUrl(): string {
  return inject('pgUrl');
}

/**
 * Fresh schema names for one test file, dropped (with everything in them) by `dropAll`, so that a run against
 * an existing server (`HUBLINE_PG_URL`) leaves nothing behind. Names carry the process id: test files run in
 * parallel on one server.
 */
export class TestSchemas {
  readonly #created: string[] = [];
  readonly #prefix: string;

  /** @param label - a short word naming the test file, in every schema's name */
  constructor(label: string) {
    this.#prefix = `t_${label}_${process.pid}_${Date.now().toString(36)}`;
  }

  /**
   * A schema name nobody uses yet.
   *
   * @param length - pad the name with `x` to this length (PostgreSQL allows 63)
   */
  fresh(length = 0): string {
    const name = `${this.#prefix}_${this.#created.length + 1}_`.padEnd(length, 'x');
    this.#created.push(name);
    return name;
  }

  /** Drops every schema handed out. */
  async dropAll(): Promise<void> {
    if (this.#created.length === 0) return;
    const client = new pg.Client(pgUrl());
    await client.connect();
    try {
      for (const name of this.#created.splice(0))
        await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    } finally {
      await client.end();
    }
  }
}
