import { afterEach, describe, expect, it } from 'vitest';
import { parsePostgresResultLine } from '../src/postgres/postgres-result.js';
import type { PostgresDemoSnapshot } from '../src/postgres/postgres-snapshot.js';
import { type DemoProcess, runDemo } from './run-demo.js';

const running: DemoProcess[] = [];

afterEach(() => {
  for (const demo of running.splice(0)) demo.kill('SIGKILL');
});

describe('pnpm demo -- --postgres', () => {
  it('starts a throwaway PostgreSQL (or takes HUBLINE_PG_URL), records in the app’s transactions, drains with three workers exactly once, shows each on the dashboard', {
    timeout: 150_000,
  }, async () => {
    const demo = runDemo([
      '--postgres',
      '--workers',
      '3',
      '--events',
      '900',
      '--rate',
      '150',
      '--faults',
      'flaky',
      '--no-drops',
      '--port',
      '0',
      '--seed',
      '11',
    ]);
    running.push(demo);
    const [, url] = await demo.waitFor(/Dashboard: (\S+)/, 90_000);
    const snapshot = (await (await fetch(`${url}api/snapshot`)).json()) as PostgresDemoSnapshot;
    expect(snapshot.workers.map((worker) => worker.name)).toEqual(['worker-1', 'worker-2', 'worker-3']);
    expect(await (await fetch(url!)).text()).toContain('Hubline on PostgreSQL');

    const code = await demo.exitWithin(120_000);
    const output = demo.output();
    expect(code, output).toBe(0);
    expect(output).toMatch(/PostgreSQL: (a throwaway cluster|the server at)/);
    const result = parsePostgresResultLine(output);
    expect(result, output).toBeDefined();
    expect(result, output).toMatchObject({
      faults: 'flaky',
      drained: true,
      recorded: 900,
      appRows: 900,
      goal: 900,
    });
    // The emulator's own count: each of this run's ids stored once, none twice.
    expect(result?.emulator).toMatchObject({
      idsStoredMoreThanOnce: 0,
      runIdsStoredExactlyOnce: 900,
      runIdsMissing: 0,
    });
    // Three engines shared the work; each delivery was settled by exactly one of them.
    const workers = result?.workers ?? [];
    expect(workers).toHaveLength(3);
    expect(workers.reduce((sum, worker) => sum + worker.delivered, 0)).toBe(900);
    expect(workers.filter((worker) => worker.delivered > 0).length).toBeGreaterThanOrEqual(2);
    expect(result?.emulator.faultsInjected).toBeGreaterThan(0);
  });

  it('refuses --db, which names a SQLite file, before starting anything', { timeout: 40_000 }, async () => {
    const demo = runDemo(['--postgres', '--db', 'x.db'], 'node');
    running.push(demo);
    expect(await demo.exitWithin(30_000)).toBe(2);
    expect(demo.output()).toContain('with --postgres, HUBLINE_PG_URL names a server');
    expect(demo.output()).not.toContain('PostgreSQL:');
  });
});
