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
    expect(() => parseCli(['--devices', '0'])).toThrow(/--devices must be an integer >= 1/);
    expect(() => parseCli(['--rate', 'fast'])).toThrow(/--rate must be a number > 0/);
    expect(() => parseCli(['--events', '1.5'])).toThrow(/--events/);
    expect(() => parseCli(['--faults', 'hurricane'])).toThrow(/--faults must be one of calm, flaky, storm/);
  });

  it('refuses unknown flags instead of silently ignoring a typo', () => {
    expect(() => parseCli(['--event', '10'])).toThrow(CliUsageError);
  });

  it('recognises --help and -h', () => {
    expect(parseCli(['--help']).help).toBe(true);
    expect(parseCli(['-h']).help).toBe(true);
  });
});
