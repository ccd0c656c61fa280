import { describe, expect, it } from 'vitest';
import { CliUsageError, DEFAULT_DB_PATH, DEFAULT_PORT, parseCli } from './parse-cli.js';

describe('parseCli', () => {
  it('runs with no flags at all, on documented defaults', () => {
    expect(parseCli([], 7)).toEqual({
      devices: 4,
      rate: 100,
      events: undefined,
      faults: 'flaky',
      db: DEFAULT_DB_PATH,
      port: DEFAULT_PORT,
      dashboard: true,
      drops: true,
      seed: 7,
      help: false,
    });
  });

  it('reads every flag', () => {
    const options = parseCli([
      '--devices',
      '2',
      '--rate',
      '12.5',
      '--events',
      '2000',
      '--faults',
      'storm',
      '--db',
      '/tmp/x.db',
      '--port',
      '0',
      '--no-dashboard',
      '--no-drops',
      '--seed',
      '42',
    ]);
    expect(options).toMatchObject({
      devices: 2,
      rate: 12.5,
      events: 2000,
      faults: 'storm',
      db: '/tmp/x.db',
      port: 0,
      dashboard: false,
      drops: false,
      seed: 42,
    });
  });

  it('ignores the leading -- that `pnpm demo -- …` passes through', () => {
    expect(parseCli(['--', '--events', '5'], 1).events).toBe(5);
  });

  it('names the flag when a value is out of range', () => {
    expect(() => parseCli(['--devices', '0'])).toThrow(/--devices must be a whole number from 1 to 1000/);
    expect(() => parseCli(['--devices', '1001'])).toThrow(/--devices must be a whole number from 1 to 1000/);
    expect(() => parseCli(['--rate', 'fast'])).toThrow(/--rate must be a number > 0/);
    expect(() => parseCli(['--rate', '0'])).toThrow(/--rate must be a number > 0/);
    expect(() => parseCli(['--rate', '5001'])).toThrow(/--rate must be a number > 0 and <= 5000/);
    expect(() => parseCli(['--events', '1.5'])).toThrow(/--events must be a whole number >= 1, got "1.5"/);
    expect(() => parseCli(['--faults', 'hurricane'])).toThrow(/--faults must be one of calm, flaky, storm/);
  });

  it('takes ports from 0 to 65535 only, before anything listens', () => {
    expect(parseCli(['--port', '65535']).port).toBe(65_535);
    expect(() => parseCli(['--port', '70000'])).toThrow(
      /--port must be a whole number from 0 to 65535, got "70000"/,
    );
  });

  it('reads numbers as plain decimals only, not exponents, hex or padded text', () => {
    for (const raw of ['1e3', '0x10', '0b11', ' 7', '7 ', '+7', '', 'Infinity', '1_000']) {
      expect(() => parseCli(['--devices', raw]), raw).toThrow(
        new CliUsageError(`--devices must be a whole number from 1 to 1000, got "${raw}"`),
      );
    }
    expect(() => parseCli(['--rate', '1e2'])).toThrow(
      /--rate must be a number > 0 and <= 5000 \(e\.g\. 2\.5\), got "1e2"/,
    );
    expect(() => parseCli(['--seed', '0x10'])).toThrow(/--seed must be a whole number >= 0, got "0x10"/);
    expect(parseCli(['--rate', '0.5']).rate).toBe(0.5);
    expect(parseCli(['--rate', '.5']).rate).toBe(0.5);
    expect(parseCli(['--rate', '2.']).rate).toBe(2);
    expect(parseCli(['--devices', '007']).devices).toBe(7);
  });

  it("says what a negative number is wrong for, in its own words rather than parseArgs's", () => {
    expect(() => parseCli(['--rate', '-1'])).toThrow(
      new CliUsageError('--rate must be a number > 0 and <= 5000 (e.g. 2.5), got "-1"'),
    );
    expect(() => parseCli(['--rate=-1'])).toThrow(
      /--rate must be a number > 0 and <= 5000 \(e\.g\. 2\.5\), got "-1"/,
    );
    expect(() => parseCli(['--events', '-5'])).toThrow(
      new CliUsageError('--events must be a whole number, got "-5"'),
    );
    expect(() => parseCli(['--port', '-1'])).toThrow(/--port must be a whole number, got "-1"/);
  });

  it('says which flag is missing its value', () => {
    expect(() => parseCli(['--rate'])).toThrow(new CliUsageError('--rate needs a value'));
    expect(() => parseCli(['--db', '--no-dashboard'])).toThrow(new CliUsageError('--db needs a value'));
    expect(() => parseCli(['--db', '-x.db'])).toThrow(/write --db=-x\.db if you mean it/);
    expect(parseCli(['--db=-x.db']).db).toBe('-x.db');
  });

  it('refuses unknown flags instead of silently ignoring a typo', () => {
    expect(() => parseCli(['--event', '10'])).toThrow(CliUsageError);
  });

  it('recognises --help and -h', () => {
    expect(parseCli(['--help']).help).toBe(true);
    expect(parseCli(['-h']).help).toBe(true);
  });
});
