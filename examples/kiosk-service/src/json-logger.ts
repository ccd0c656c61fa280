import { isHublineError, type Logger } from '@hubline/core';

/** Log levels, least severe first. */
const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** One of {@link LEVELS}. */
export type LogLevel = (typeof LEVELS)[number];

/**
 * A {@link Logger} that writes one JSON object per line (`time`, `level`, `msg`, then the fields), the shape
 * journald, Docker and every log shipper read. Hubline hands its loggers no event content and no secret, and
 * this service logs none of its own: credentials stay in the token provider.
 *
 * @param write - where each line goes, e.g. `(line) => process.stdout.write(line)`
 * @param level - the least severe level written
 * @param now - the time stamped on each line
 */
export function createJsonLogger(
  write: (line: string) => void,
  level: LogLevel = 'info',
  now: () => Date = () => new Date(),
): Logger {
  const threshold = LEVELS.indexOf(level);
  const at =
    (lineLevel: LogLevel) =>
    (msg: string, fields: Record<string, unknown> = {}): void => {
      if (LEVELS.indexOf(lineLevel) < threshold) return;
      const record = { time: now().toISOString(), level: lineLevel, msg, ...fields };
      write(
        `${JSON.stringify(record, (_key, value: unknown) => (value instanceof Error ? describeError(value) : value))}\n`,
      );
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * An error as a log field: its name, code and message (Hubline's messages never hold a secret).
 *
 * @param error - anything caught
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  return { name: error.name, ...(isHublineError(error) ? { code: error.code } : {}), message: error.message };
}
