import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseResultLine } from '../report/final-report.js';
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

function io(tty?: { columns: number }) {
  const stdout = new PassThrough();
  if (tty !== undefined) Object.assign(stdout, { isTTY: true, columns: tty.columns });
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
    io: {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr,
      env: {},
      signals: new EventEmitter(),
      exit: () => {
        throw new Error('the demo tried to leave at once');
      },
    },
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

describe('runCli to the end of a short run', () => {
  const flags = (db: string) => [
    '--events',
    '20',
    '--rate',
    '200',
    '--faults',
    'calm',
    '--no-drops',
    '--no-dashboard',
    '--db',
    db,
  ];

  it('in a terminal: the live view, its last notice and the report, without the machine-readable line', async () => {
    const run = io({ columns: 80 });
    expect(await runCli(flags(join(tempFolder(), 'd.db')), run.io), run.err()).toBe(0);
    expect(run.out()).toContain('All 20 events are settled; stopping.');
    expect(run.out()).toMatch(/recorded 20 · pending 0/);
    expect(run.out()).toContain('Hubline demo: final report');
    expect(run.out()).not.toContain('HUBLINE_DEMO_RESULT');
  }, 30_000);

  it('into a pipe: plain lines and the report, ending with the HUBLINE_DEMO_RESULT line for scripts', async () => {
    const run = io();
    expect(await runCli(flags(join(tempFolder(), 'd.db')), run.io), run.err()).toBe(0);
    expect(run.out()).toContain('All 20 events are settled; stopping.');
    expect(parseResultLine(run.out())).toMatchObject({ recorded: 20, thisRun: { delivered: 20, dead: 0 } });
  }, 30_000);
});

describe('runCli on Ctrl-C', () => {
  it('leaves at once with exit code 130 on a second Ctrl-C, and takes a repeat within 500 ms for an echo', async () => {
    const run = io();
    const exits: number[] = [];
    let now = 1_000_000;
    const signals = new EventEmitter();
    const done = runCli(
      [
        '--rate',
        '50',
        '--faults',
        'calm',
        '--no-drops',
        '--no-dashboard',
        '--db',
        join(tempFolder(), 'd.db'),
      ],
      { ...run.io, signals, exit: (code) => exits.push(code), now: () => now },
    );
    await expect.poll(() => run.out(), { timeout: 20_000 }).toContain('Press Ctrl-C to stop');
    signals.emit('SIGINT', 'SIGINT');
    now += 499;
    signals.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([]);
    now += 1;
    signals.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([130]);
    expect(run.err()).toContain('stopped without draining; the outbox keeps the rest');
    // The test's exit does not end the process, so the graceful stop the first Ctrl-C began still completes.
    expect(await done).toBe(0);
  }, 30_000);
});
