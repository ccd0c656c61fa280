import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startThrowawayCluster, THROWAWAY_SETTINGS } from './index.js';

/** Runs one query on a fresh client and ends it. */
async function queryOne(config: string | pg.ClientConfig, text: string): Promise<Record<string, unknown>> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return (await client.query(text)).rows[0] as Record<string, unknown>;
  } finally {
    await client.end();
  }
}

describe('startThrowawayCluster (@hubline/postgres/testing)', () => {
  it('serves its URL on 127.0.0.1 and its Unix socket, with the settings asked for over the fast defaults, and leaves nothing behind', {
    timeout: 60_000,
  }, async () => {
    const cluster = await startThrowawayCluster({ settings: { fsync: 'on', work_mem: "'8MB'" } });
    try {
      expect(cluster.url).toBe(`postgres://hubline@127.0.0.1:${cluster.port}/postgres`);
      expect(existsSync(join(cluster.socketDir, `.s.PGSQL.${cluster.port}`))).toBe(true);
      const viaSocket = await queryOne(
        { host: cluster.socketDir, port: cluster.port, user: 'hubline', database: 'postgres' },
        "SELECT current_setting('fsync') AS fsync, current_setting('work_mem') AS work_mem, current_setting('synchronous_commit') AS sync",
      );
      // fsync as asked; synchronous_commit from THROWAWAY_SETTINGS, which the options did not override.
      expect(viaSocket).toEqual({
        fsync: 'on',
        work_mem: '8MB',
        sync: THROWAWAY_SETTINGS.synchronous_commit,
      });
      expect(await queryOne(cluster.url, 'SELECT 1 + 1 AS two')).toEqual({ two: 2 });
    } finally {
      await cluster.stop();
    }
    expect(existsSync(cluster.socketDir)).toBe(false);
    await cluster.stop(); // a second stop is harmless
    const refused = new pg.Client({ connectionString: cluster.url, connectionTimeoutMillis: 2000 });
    await expect(refused.connect()).rejects.toThrow();
  });

  it('is disposable: `await using` stops it at the end of the scope', { timeout: 60_000 }, async () => {
    let folder = '';
    {
      await using cluster = await startThrowawayCluster();
      folder = cluster.socketDir;
      expect(await queryOne(cluster.url, "SELECT current_setting('fsync') AS fsync")).toEqual({
        fsync: 'off',
      });
    }
    expect(folder).not.toBe('');
    expect(existsSync(folder)).toBe(false);
  });
});
