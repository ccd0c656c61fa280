import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresOutbox } from '../src/open-postgres-outbox.js';
import { createStatements } from '../src/storage/statements.js';
import type { PostgresOutbox } from '../src/types.js';
import { pgUrl, TestSchemas } from './support/schemas.js';

/** One node of `EXPLAIN (FORMAT JSON)`. */
interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Index Name'?: string;
  readonly 'Relation Name'?: string;
  readonly 'Actual Rows'?: number;
  readonly 'Actual Loops'?: number;
  readonly Plans?: readonly PlanNode[];
}

/** Every node of a plan that ran, depth first (a subplan the query never needed is left out). */
function nodesOf(node: PlanNode): PlanNode[] {
  if (node['Actual Loops'] === 0) return [];
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

const ROWS = 20_000;
const NOW = Date.UTC(2026, 10, 29, 12);

/*
 * The hot queries must walk their indexes and stop early at any size: the plans are checked on 20,000 entries
 * (half finished, a quarter due, a quarter waiting), ANALYZEd so that the planner sees real statistics.
 */
describe('query plans', () => {
  const schemas = new TestSchemas('plans');
  const schema = schemas.fresh();
  const sql = createStatements(schema);
  let store: PostgresOutbox;
  let client: pg.Client;

  beforeAll(async () => {
    store = await openPostgresOutbox({ connectionString: pgUrl(), schema, poolSize: 1, clock: () => NOW });
    client = new pg.Client(pgUrl());
    await client.connect();
    await client.query(
      `INSERT INTO "${schema}".entries (id, event, bytes, status, attempts, recorded_at, next_attempt_at,
         updated_at, version, due_at, backlog_at)
       SELECT 'e' || n, '{}', 2, CASE WHEN n % 2 = 0 THEN 'delivered' ELSE 'pending' END, 0, $1::bigint + n, $1::bigint + n * 2,
         $1::bigint + n, 1, CASE WHEN n % 2 = 0 THEN NULL ELSE $1::bigint + n * 2 END,
         CASE WHEN n % 2 = 0 THEN NULL ELSE $1::bigint + n END
       FROM generate_series(1, $2) AS n`,
      [NOW - ROWS, ROWS],
    );
    await client.query(`ANALYZE "${schema}".entries`);
  });
  afterAll(async () => {
    await client.end();
    await store.close();
    await schemas.dropAll();
  });

  /** The plan of a statement run for real (inside a rolled-back transaction, since claims lock rows). */
  async function plan(text: string, values: readonly unknown[]): Promise<PlanNode> {
    await client.query('BEGIN');
    try {
      const result = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, values as unknown[]);
      return (result.rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan;
    } finally {
      await client.query('ROLLBACK');
    }
  }

  it('claims by walking entries_claim_idx in due order, reading no more rows than it returns', async () => {
    const root = await plan(sql.selectDue.text, ['default', NOW, 50]);
    const nodes = nodesOf(root);
    const scan = nodes.find((node) => node['Index Name'] === 'entries_claim_idx');
    expect(scan?.['Node Type']).toBe('Index Scan');
    expect(scan?.['Actual Rows']).toBe(50);
    expect(nodes.map((node) => node['Node Type'])).not.toContain('Sort');
    expect(nodes.map((node) => node['Node Type'])).not.toContain('Seq Scan');
    expect(nodes.map((node) => node['Node Type'])).toContain('LockRows');
  });

  it('answers stats from the counter shards and one probe of entries_backlog_idx', async () => {
    const nodes = nodesOf(await plan(sql.stats.text, ['default']));
    const entryScans = nodes.filter((node) => node['Relation Name'] === 'entries');
    expect(entryScans.map((node) => node['Index Name'])).toEqual(['entries_backlog_idx']);
    expect(entryScans[0]?.['Actual Rows']).toBe(1);
  });

  it('answers nextDueIn with one probe of entries_claim_idx', async () => {
    const nodes = nodesOf(await plan(sql.nextDue.text, ['default', NOW, 'locks']));
    const entryScans = nodes.filter((node) => node['Relation Name'] === 'entries');
    expect(entryScans.map((node) => node['Index Name'])).toEqual(['entries_claim_idx']);
    expect(entryScans[0]?.['Actual Rows']).toBe(1);
  });
});

const ACCOUNTS = 1_000;

/*
 * Many accounts: the engine asks every second which accounts have something due, and dashboards ask for the
 * totals. Both must cost a seek per account, not a read of every entry: checked on 1,000 accounts of 20 entries.
 */
describe('query plans with many accounts', () => {
  const schemas = new TestSchemas('plans_accounts');
  const schema = schemas.fresh();
  const sql = createStatements(schema);
  let store: PostgresOutbox;
  let client: pg.Client;

  beforeAll(async () => {
    store = await openPostgresOutbox({ connectionString: pgUrl(), schema, poolSize: 1, clock: () => NOW });
    client = new pg.Client(pgUrl());
    await client.connect();
    await client.query(
      `INSERT INTO "${schema}".entries (account, id, event, bytes, status, attempts, recorded_at, next_attempt_at,
         updated_at, version, due_at, backlog_at)
       SELECT 'portal-' || (n % $2), 'e' || n, '{}', 2, 'pending', 0, $1::bigint + n, $1::bigint + n, $1::bigint + n,
         1, $1::bigint + n, $1::bigint + n
       FROM generate_series(1, $3) AS n`,
      [NOW - 10 * ROWS, ACCOUNTS, 20 * ACCOUNTS],
    );
    await client.query(`ANALYZE "${schema}".entries`);
  });
  afterAll(async () => {
    await client.end();
    await store.close();
    await schemas.dropAll();
  });

  /** The plan of a read-only statement run for real. */
  async function plan(text: string, values: readonly unknown[]): Promise<PlanNode> {
    const result = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, values as unknown[]);
    return (result.rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan;
  }

  /** Rows read from `entries`, over every loop of every node that ran, by index (none by a sequential scan). */
  function entryReads(root: PlanNode): Map<string, number> {
    const reads = new Map<string, number>();
    for (const node of nodesOf(root)) {
      if (node['Relation Name'] !== 'entries') continue;
      expect(node['Node Type']).not.toBe('Seq Scan');
      const rows = (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1);
      const name = node['Index Name'] ?? node['Node Type'];
      if (rows > 0) reads.set(name, (reads.get(name) ?? 0) + rows);
    }
    return reads;
  }

  it('lists the accounts due with one seek of entries_claim_idx per account', async () => {
    const root = await plan(sql.accountsDue.text, ['locks']);
    const reads = entryReads(root);
    expect([...reads.keys()]).toEqual(['entries_claim_idx']);
    // One row per account found, and the seek past the last one.
    expect(reads.get('entries_claim_idx')).toBeLessThanOrEqual(ACCOUNTS + 1);
    expect(await store.accountsDue()).toHaveLength(ACCOUNTS);
  });

  it('answers the totals of stats with one seek of entries_backlog_idx per account', async () => {
    const reads = entryReads(await plan(sql.statsAll.text, []));
    expect([...reads.keys()]).toEqual(['entries_backlog_idx']);
    expect(reads.get('entries_backlog_idx')).toBeLessThanOrEqual(ACCOUNTS + 1);
  });

  it("claims one account's entries through its own range of entries_claim_idx", async () => {
    const root = await plan(sql.selectDue.text, ['portal-7', NOW, 50]);
    // With 20 rows in the range the planner may take them by a bitmap and sort them: still only that range.
    expect([...entryReads(root).values()]).toEqual([20]);
    expect(nodesOf(root).map((node) => node['Index Name'])).toContain('entries_claim_idx');
  });

  it("answers one account's nextDueIn with one probe of entries_claim_idx", async () => {
    const reads = entryReads(await plan(sql.nextDue.text, ['portal-7', NOW, 'locks']));
    expect(reads).toEqual(new Map([['entries_claim_idx', 1]]));
  });

  it('records a batch of 500 without reading entries, but for the one id recorded before, through entries_id_idx', async () => {
    const ids = ['e1', ...Array.from({ length: 499 }, (_, n) => `new-${n}`)];
    const root = await plan(sql.record.text, [
      ids.map(() => 'default'),
      ids,
      ids.map(() => '{}'),
      ids.map(() => 2),
      NOW,
      'pending',
      0,
      NOW,
      false,
      NOW,
      NOW,
      'plans_channel',
      'plans:',
    ]);
    const reads = nodesOf(root).filter(
      (node) => node['Relation Name'] === 'entries' && node['Node Type'] !== 'ModifyTable',
    );
    expect(reads.map((node) => node['Node Type'])).not.toContain('Seq Scan');
    expect(new Set(reads.map((node) => node['Index Name']))).toEqual(new Set(['entries_id_idx']));
    expect(reads.every((node) => node['Actual Rows'] === 1 && node['Actual Loops'] === 1)).toBe(true);
  });
});
