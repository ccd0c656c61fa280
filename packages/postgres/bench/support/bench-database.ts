import pg from 'pg';
import { startThrowawayCluster, THROWAWAY_SETTINGS } from '../../src/testing/throwaway-cluster.js';

/**
 * Durable settings for a bench's throwaway cluster: commits reach the disk as in production (the test
 * defaults turn fsync off), so that what a bench measures includes what a commit costs. The buffer pool is
 * PostgreSQL's usual production size for a small server rather than the tests' 64 MB (below even PostgreSQL's
 * own default of 128 MB), which made backends write out pages themselves once a drain's tables outgrew it.
 */
const DURABLE_SETTINGS: Readonly<Record<string, string>> = {
  ...THROWAWAY_SETTINGS,
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  shared_buffers: '256MB',
};

/** The server a bench runs on, and how to let it go. */
export interface BenchDatabase extends AsyncDisposable {
  /** Its URL. */
  readonly url: string;
  /** Where it came from, for the bench's header. */
  readonly label: string;
}

/**
 * The server for a bench: `HUBLINE_PG_URL` when set (a bench of a real deployment), else a throwaway cluster
 * with {@link DURABLE_SETTINGS} (or the test settings when `durable` is false), stopped on dispose.
 *
 * @param durable - whether commits must reach the disk
 */
export async function benchDatabase(durable = true): Promise<BenchDatabase> {
  const given = process.env.HUBLINE_PG_URL;
  if (given !== undefined && given !== '') {
    return { url: given, label: 'HUBLINE_PG_URL', [Symbol.asyncDispose]: async () => undefined };
  }
  const cluster = await startThrowawayCluster({ settings: durable ? DURABLE_SETTINGS : {} });
  return {
    url: cluster.url,
    label: `throwaway cluster (${durable ? 'fsync on' : 'fsync off'})`,
    [Symbol.asyncDispose]: () => cluster.stop(),
  };
}

/**
 * A schema name of its own for one part of a bench, so that a bench run against `HUBLINE_PG_URL` touches
 * nothing else; {@link dropSchema} removes it.
 *
 * @param label - a short word naming the part
 */
export function benchSchema(label: string): string {
  return `bench_${label}_${process.pid}`;
}

/**
 * Drops a bench's schema with everything in it.
 *
 * @param url - the server
 * @param schema - from {@link benchSchema}
 */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
