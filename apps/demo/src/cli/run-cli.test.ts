import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'hubline-run-cli-'));
  folders.push(folder);
  return folder;
}

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  return {
    io: { stdout: stdout as unknown as NodeJS.WriteStream, stderr, env: {} },
    out: () => out,
    err: () => err,
  };
}

describe('runCli on a bad command line', () => {
  it.each([
    [['--port', '70000'], /--port must be a whole number from 0 to 65535, got "70000"/],
    [['--devices', '1e3'], /--devices must be a whole number from 1 to 1000, got "1e3"/],
    [['--devices', '0x10'], /--devices must be a whole number from 1 to 1000, got "0x10"/],
    [['--rate', '-1'], /--rate must be a number > 0 and <= 5000 \(e\.g\. 2\.5\), got "-1"/],
    [['--faults', 'hurricane'], /--faults must be one of calm, flaky, storm/],
  ])(
    '%j exits 2 with the reason, before creating the outbox or starting anything',
    async (flags, message) => {
      const folder = tempFolder();
      const db = join(folder, 'not-yet', 'demo.db');
      const run = io();
      expect(await runCli([...flags, '--db', db], run.io)).toBe(2);
      expect(run.err()).toMatch(message);
      expect(run.err()).toContain('Run with --help for the options.');
      expect(run.out()).toBe('');
      expect(existsSync(join(folder, 'not-yet'))).toBe(false);
    },
  );

  it('refuses a --db that is a folder, or under a file, before opening anything', async () => {
    const folder = tempFolder();
    const run = io();
    expect(await runCli(['--db', folder], run.io)).toBe(2);
    expect(run.err()).toMatch(/--db must name a file, but .* is a folder/);
    writeFileSync(join(folder, 'plain-file'), '');
    const second = io();
    expect(await runCli(['--db', join(folder, 'plain-file', 'demo.db')], second.io)).toBe(2);
    expect(second.err()).toMatch(/plain-file is a file/);
  });

  it('refuses a half-configured HubSpot environment the same way', async () => {
    const folder = tempFolder();
    const run = io();
    const code = await runCli(['--db', join(folder, 'x', 'd.db')], {
      ...run.io,
      env: { HUBSPOT_CLIENT_ID: 'id' },
    });
    expect(code).toBe(2);
    expect(run.err()).toMatch(/HUBSPOT_EVENT_TEMPLATE_ID is required/);
    expect(existsSync(join(folder, 'x'))).toBe(false);
  });

  it('prints the usage for --help and exits 0', async () => {
    const run = io();
    expect(await runCli(['--help'], run.io)).toBe(0);
    expect(run.out()).toMatch(/^Usage: pnpm demo -- \[options\]/);
    expect(run.out()).toMatch(/Exit codes:\n {2}0 {4}the --events goal was reached, or Ctrl-C/);
    expect(run.out()).toMatch(/\n {2}130 {2}a second Ctrl-C/);
  });
});
