import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { findServerBinaries, INSTALL_COMMAND } from './support/throwaway-cluster.js';

describe('the throwaway cluster', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'hubline-pg-root-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('stops at once with the one command that installs the server binaries when they are missing', () => {
    expect(() => findServerBinaries(root)).toThrow(`Install them with: ${INSTALL_COMMAND}`);
    expect(INSTALL_COMMAND).toBe('apt-get install -y postgresql');
  });

  it('takes the newest version installed', () => {
    for (const version of ['13', '15', '9']) {
      mkdirSync(join(root, version, 'bin'), { recursive: true });
      writeFileSync(join(root, version, 'bin', 'initdb'), '');
    }
    mkdirSync(join(root, '16', 'bin'), { recursive: true }); // a version without its server binaries
    expect(findServerBinaries(root)).toBe(join(root, '15', 'bin'));
  });

  it('is the server this run uses, reachable at the URL the global setup provides', async () => {
    const client = new pg.Client(inject('pgUrl'));
    await client.connect();
    try {
      expect((await client.query('SHOW server_version_num')).rows[0].server_version_num).toMatch(/^\d{6}$/);
    } finally {
      await client.end();
    }
  });
});
