import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { AccountOptions } from './accounts/account-types.js';
import type { EmulatorOptions } from './emulator-types.js';
import type { FaultOptions } from './faults/fault-types.js';
import type { ConflictMode, LimitsOptions } from './limits/limit-types.js';
import type { EventTemplate } from './templates/template-types.js';

/** The CLI's usage text. */
export const cliUsage = `hubline-emulator — a local HubSpot timeline API with seeded fault injection

Usage: hubline-emulator [options]

  --host <host>              interface to listen on (default 127.0.0.1)
  --port <n>                 API port, 0 for any free one (default 4010)
  --control-port <n>         control listener port, reachable while the API is offline (default: any free one)
  --templates <file|json>    event templates: a JSON array (or { "templates": [...] }); default: visit, check-in, call, scan
  --faults <file|json>       fault settings (FaultOptions JSON), e.g. '{"seed":7,"rates":{"error-503":0.1}}'
  --seed <n>                 fault PRNG seed (overrides --faults)
  --latency <ms>             fixed latency per API request
  --jitter <ms>              random extra latency in [0, ms)
  --limits <file|json>       limits (LimitsOptions JSON)
  --rate-limit <n>           requests per account per 10 s window (default 100)
  --daily-limit <n>          requests per account per UTC day (default: no daily cap)
  --batch-cap <n>            inputs per batch (default 100)
  --conflict-mode <mode>     207-error | 409 | 400-in-use | silent-dedupe | last-wins (default 207-error)
  --accounts <file|json>     accounts (AccountOptions JSON array, or { "accounts": [...] }): tokens, installs, limits
  --token <token>            accept this bearer token for the default account (repeatable; replaces the default token)
  --token-ttl <seconds>      lifetime of tokens from /oauth/v1/token (default 1800)
  --app-id <n>               app id of the event-template routes (default 1160452)
  --developer-key <key>      developer API key (?hapikey=) of the event-template routes
  --no-auth                  accept any request, with or without a bearer
  --offline                  start with the API refusing connections
  -h, --help                 show this help

Control routes: GET <url>/__emulator lists them.`;

/** What the command line asks for. */
export type CliCommand =
  | { readonly help: true }
  | {
      readonly help: false;
      /** The options to start the emulator with, from the flags given (each absent flag leaves its default). */
      readonly options: EmulatorOptions;
    };

/** Reads a JSON argument: inline when it starts with `{` or `[`, else a file path. */
function readJsonArg(name: string, value: string): unknown {
  const text = /^\s*[[{]/.test(value) ? value : readFileSync(value, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TypeError(`--${name}: not valid JSON (${(error as Error).message})`);
  }
}

/** Reads a JSON array argument, given bare or as `{ "<key>": [...] }`. */
function readListArg(name: string, value: string | undefined): unknown[] | undefined {
  if (value === undefined) return undefined;
  const parsed = readJsonArg(name, value);
  const list = Array.isArray(parsed) ? parsed : (parsed as Record<string, unknown> | null)?.[name];
  if (!Array.isArray(list)) throw new TypeError(`--${name}: expected an array of ${name}`);
  return list;
}

function intArg(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new TypeError(`--${name}: must be a non-negative integer`);
  return n;
}

const cliOptions = {
  host: { type: 'string' },
  port: { type: 'string' },
  'control-port': { type: 'string' },
  templates: { type: 'string' },
  faults: { type: 'string' },
  seed: { type: 'string' },
  latency: { type: 'string' },
  jitter: { type: 'string' },
  limits: { type: 'string' },
  'rate-limit': { type: 'string' },
  'daily-limit': { type: 'string' },
  'batch-cap': { type: 'string' },
  'conflict-mode': { type: 'string' },
  accounts: { type: 'string' },
  token: { type: 'string', multiple: true },
  'token-ttl': { type: 'string' },
  'app-id': { type: 'string' },
  'developer-key': { type: 'string' },
  'no-auth': { type: 'boolean' },
  offline: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type CliValues = ReturnType<typeof parseArgs<{ options: typeof cliOptions }>>['values'];

/** Sets `target[key]` to `value` when the flag was given. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}

function faultsOf(values: CliValues): FaultOptions {
  const faults: Record<string, unknown> = {
    ...(values.faults === undefined ? {} : (readJsonArg('faults', values.faults) as FaultOptions)),
  };
  put(faults, 'seed', intArg('seed', values.seed));
  put(faults, 'latencyMs', intArg('latency', values.latency));
  put(faults, 'jitterMs', intArg('jitter', values.jitter));
  return faults as FaultOptions;
}

function limitsOf(values: CliValues): LimitsOptions {
  const limits: Record<string, unknown> = {
    ...(values.limits === undefined ? {} : (readJsonArg('limits', values.limits) as LimitsOptions)),
  };
  put(limits, 'rateLimit', intArg('rate-limit', values['rate-limit']));
  put(limits, 'dailyLimit', intArg('daily-limit', values['daily-limit']));
  put(limits, 'maxBatchSize', intArg('batch-cap', values['batch-cap']));
  put(limits, 'conflictMode', values['conflict-mode'] as ConflictMode | undefined);
  return limits as LimitsOptions;
}

function authOf(values: CliValues): NonNullable<EmulatorOptions['auth']> {
  const ttl = intArg('token-ttl', values['token-ttl']);
  return {
    ...(values['no-auth'] ? { requireAuth: false } : {}),
    ...(values.token === undefined ? {} : { tokens: values.token.map((token) => ({ token })) }),
    ...(ttl === undefined ? {} : { accessTokenTtlMs: ttl * 1000 }),
  };
}

/**
 * Turns command-line arguments into emulator options.
 *
 * @param argv - the arguments after the script name.
 * @throws TypeError naming the option when a value is invalid.
 * @example
 * ```ts
 * parseCliArgs(['--port', '4010', '--seed', '7']); // { help: false, options: { port: 4010, faults: { seed: 7 }, ... } }
 * ```
 */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const { values } = parseArgs({ args: [...argv], strict: true, options: cliOptions });
  if (values.help) return { help: true };
  const templates = readListArg('templates', values.templates) as EventTemplate[] | undefined;
  const accounts = readListArg('accounts', values.accounts) as AccountOptions[] | undefined;
  const appId = intArg('app-id', values['app-id']);
  const developerKey = values['developer-key'];
  const developer = {
    ...(appId === undefined ? {} : { appId }),
    ...(developerKey === undefined ? {} : { apiKey: developerKey }),
  };
  const controlPort = intArg('control-port', values['control-port']);
  const options: EmulatorOptions = {
    host: values.host ?? '127.0.0.1',
    port: intArg('port', values.port) ?? 4010,
    ...(controlPort === undefined ? {} : { controlPort }),
    ...(templates === undefined ? {} : { templates }),
    ...(accounts === undefined ? {} : { accounts }),
    ...(Object.keys(developer).length === 0 ? {} : { developer }),
    faults: faultsOf(values),
    limits: limitsOf(values),
    auth: authOf(values),
    online: !values.offline,
  };
  return { help: false, options };
}
