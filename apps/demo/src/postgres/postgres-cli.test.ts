import { describe, expect, it } from 'vitest';
import { parseCli } from '../cli/parse-cli.js';
import { isPostgresRun, POSTGRES_USAGE, parsePostgresCli } from './postgres-cli.js';

describe('parsePostgresCli', () => {
  it('takes --postgres and --workers, and reads every other flag as the demo does', () => {
    expect(isPostgresRun(['--events', '5', '--postgres'])).toBe(true);
    expect(isPostgresRun(['--events', '5'])).toBe(false);
    const parsed = parsePostgresCli(['--postgres', '--workers', '4', '--events', '500', '--no-dashboard'], 9);
    expect(parsed).toEqual({
      workers: 4,
      cli: parseCli(['--events', '500', '--no-dashboard'], 9),
    });
    expect(parsePostgresCli(['--postgres', '--workers=2'], 9).workers).toBe(2);
    expect(parsePostgresCli(['--postgres'], 9).workers).toBe(3);
  });

  it('names the flag it refuses', () => {
    expect(() => parsePostgresCli(['--postgres', '--workers', '0'])).toThrow(
      '--workers must be a whole number from 1 to 16, got "0"',
    );
    expect(() => parsePostgresCli(['--postgres', '--workers', '2.5'])).toThrow('--workers must be');
    expect(() => parsePostgresCli(['--postgres', '--workers'])).toThrow('got ""');
    expect(() => parsePostgresCli(['--postgres', '--db', 'a.db'])).toThrow('--db names a SQLite file');
    expect(() => parsePostgresCli(['--postgres', '--rate', '0'])).toThrow('--rate must be a number > 0');
  });

  it('documents the server choice and the one flag of its own', () => {
    expect(POSTGRES_USAGE).toContain('HUBLINE_PG_URL');
    expect(POSTGRES_USAGE).toContain('apt-get install -y postgresql');
    expect(POSTGRES_USAGE).toContain('--workers <n>');
  });
});
