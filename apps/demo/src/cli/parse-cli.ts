import { parseArgs } from 'node:util';
import { FAULT_PROFILE_NAMES, type FaultProfileName, isFaultProfileName } from '../faults/fault-profiles.js';

/** Everything the demo can be told on the command line. */
export interface DemoCliOptions {
  /** Simulated kiosks, 1 to {@link MAX_DEVICES}. @default 4 */
  readonly devices: number;
  /** Events per second for the whole fleet (not per device), up to {@link MAX_RATE}. @default 100 */
  readonly rate: number;
  /** Record this many events, wait until each is delivered (or dead-lettered), then stop. @default unlimited */
  readonly events: number | undefined;
  /** How the emulated HubSpot misbehaves. @default 'flaky' */
  readonly faults: FaultProfileName;
  /** Outbox file; an existing file is resumed. @default './.demo/hubline-demo.db' */
  readonly db: string;
  /** Dashboard port on 127.0.0.1, 0 to 65535; 0 picks a free one. @default 4310 (a free one if taken) */
  readonly port: number;
  /** Whether to serve the web dashboard. @default true */
  readonly dashboard: boolean;
  /** Whether the network drops and returns on a schedule. @default true */
  readonly drops: boolean;
  /** Seed of the simulated activity and of the emulator's faults. @default derived from the clock */
  readonly seed: number;
  /** Print the usage and exit. */
  readonly help: boolean;
}

/** The default outbox file, relative to the working directory. */
export const DEFAULT_DB_PATH = './.demo/hubline-demo.db';

/** The default dashboard port. */
export const DEFAULT_PORT = 4310;

/** Most simulated kiosks. */
const MAX_DEVICES = 1000;

/** Most events per second the fleet may record (the outbox and the emulator share one process). */
const MAX_RATE = 5000;

/**
 * The demo's exit codes, one table for the code, `--help` and the README. A stop the user asked for that
 * completed is a success, not a failure: what was recorded is delivered or kept in the outbox file.
 */
export const EXIT_CODES = Object.freeze({
  /** The `--events` goal was reached, or Ctrl-C / SIGTERM stopped the demo gracefully. */
  ok: 0,
  /** The demo itself failed (a bug, a file it could not open); the message says what. */
  failed: 1,
  /** A bad flag or HubSpot environment; nothing was started and no file was created. */
  usage: 2,
  /** A second Ctrl-C: left at once without finishing what was in flight. Nothing recorded is lost. */
  forced: 130,
} as const);

/** `--help` text. */
export const USAGE = `Usage: pnpm demo -- [options]

Simulates kiosks recording HubSpot timeline events offline and delivering them exactly once, against a local
HubSpot emulator (or the real API when HUBSPOT_* variables are set). Ctrl-C stops gracefully.

Options:
  --devices <n>       simulated kiosks, 1 to ${MAX_DEVICES} (default 4)
  --rate <n>          events per second for the whole fleet, shared by the devices; a fraction
                      such as 0.5 is fine, at most ${MAX_RATE} (default 100)
  --events <n>        record n events, stop once all n are delivered (default: run until Ctrl-C)
  --faults <profile>  ${FAULT_PROFILE_NAMES.join(' | ')}: how often HubSpot fails, throttles and stalls (default flaky)
  --db <file>         outbox file; restarting with the same file resumes it (default ${DEFAULT_DB_PATH})
  --port <n>          dashboard port on 127.0.0.1, 0 to 65535, 0 = any free port
                      (default ${DEFAULT_PORT}, or a free one if taken)
  --no-dashboard      do not serve the web dashboard
  --no-drops          keep the network up (no scheduled outages)
  --seed <n>          seed of the simulated activity and faults (default: from the clock, printed)
  --postgres          run on PostgreSQL, several workers draining one outbox (--postgres --help)
  --help              show this help

Exit codes:
  0    the --events goal was reached, or Ctrl-C / SIGTERM stopped the demo gracefully: every
       event is delivered or kept in the outbox for the next run
  1    the demo failed (the message says why)
  2    bad flag or HubSpot environment; nothing was started or created
  130  a second Ctrl-C left at once, without finishing what was in flight (nothing is lost)

Real HubSpot: set HUBSPOT_ACCESS_TOKEN (or HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET and HUBSPOT_REFRESH_TOKEN)
and HUBSPOT_EVENT_TEMPLATE_ID. See apps/demo/README.md.`;

/** A command line the demo cannot run with; `message` names the flag. */
export class CliUsageError extends Error {
  /** Always `CliUsageError`, so a guard can tell it apart by name without `instanceof`. */
  override readonly name = 'CliUsageError';
}

/** Flags that take a value, in the order `--help` lists them. */
const VALUE_FLAGS = ['devices', 'rate', 'events', 'faults', 'db', 'port', 'seed'] as const;

const DECIMAL_INTEGER = /^\d+$/;
const DECIMAL_NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

function integer(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = DECIMAL_INTEGER.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new CliUsageError(`--${flag} must be a whole number ${range}, got "${raw}"`);
  }
  return value;
}

const notAPositiveNumber = (flag: string, raw: string, max: number): CliUsageError =>
  new CliUsageError(`--${flag} must be a number > 0 and <= ${max} (e.g. 2.5), got "${raw}"`);

function positiveNumber(flag: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = DECIMAL_NUMBER.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || value <= 0 || value > max) throw notAPositiveNumber(flag, raw, max);
  return value;
}

/**
 * node:util's parseArgs answers `--rate -1` with "argument is ambiguous" and `--rate` with "argument missing",
 * in its own words. Catch both first, so every value problem is told the same way: which flag, what it takes.
 */
function checkValuesPresent(args: readonly string[]): void {
  args.forEach((arg, index) => {
    const flag = VALUE_FLAGS.find((name) => arg === `--${name}`);
    if (flag === undefined) return;
    const next = args[index + 1];
    if (next === undefined || (next.startsWith('--') && !/^--\d/.test(next))) {
      throw new CliUsageError(`--${flag} needs a value`);
    }
    if (next.startsWith('-')) {
      if (flag === 'rate') throw notAPositiveNumber(flag, next, MAX_RATE);
      throw new CliUsageError(
        flag === 'db' || flag === 'faults'
          ? `--${flag} got "${next}", which looks like a flag; write --${flag}=${next} if you mean it`
          : `--${flag} must be a whole number, got "${next}"`,
      );
    }
  });
}

/**
 * Read the demo's flags. A leading `--` (which some package managers pass through) is ignored.
 *
 * Numbers are plain decimals: `1e3`, `0x10` or ` 7` are refused rather than read as 1000, 16 or 7; only
 * `--rate` takes a fraction. Nothing is started or created here, so a bad command line changes nothing.
 *
 * @param argv - the arguments after the script, e.g. `process.argv.slice(2)`
 * @param defaultSeed - the seed when `--seed` is absent
 * @throws CliUsageError naming the flag when a value is missing, not a plain number or out of range, or a flag
 *   is unknown
 * @example
 * ```ts
 * parseCli(['--events', '2000', '--faults', 'storm', '--no-dashboard']);
 * ```
 */
export function parseCli(argv: readonly string[], defaultSeed = Date.now() % 1_000_000): DemoCliOptions {
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  checkValuesPresent(args);
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(args).values;
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const faults = values.faults ?? 'flaky';
  if (!isFaultProfileName(faults)) {
    throw new CliUsageError(`--faults must be one of ${FAULT_PROFILE_NAMES.join(', ')}, got "${faults}"`);
  }
  if (values.db === '') throw new CliUsageError('--db must name a file');
  return {
    devices: integer('devices', values.devices, 4, 1, MAX_DEVICES),
    rate: positiveNumber('rate', values.rate, 100, MAX_RATE),
    events:
      values.events === undefined
        ? undefined
        : integer('events', values.events, 0, 1, Number.MAX_SAFE_INTEGER),
    faults,
    db: values.db ?? DEFAULT_DB_PATH,
    port: integer('port', values.port, DEFAULT_PORT, 0, 65_535),
    dashboard: values['no-dashboard'] !== true,
    drops: values['no-drops'] !== true,
    seed: integer('seed', values.seed, defaultSeed, 0, Number.MAX_SAFE_INTEGER),
    help: values.help === true,
  };
}

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      devices: { type: 'string' },
      rate: { type: 'string' },
      events: { type: 'string' },
      faults: { type: 'string' },
      db: { type: 'string' },
      port: { type: 'string' },
      'no-dashboard': { type: 'boolean' },
      'no-drops': { type: 'boolean' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
