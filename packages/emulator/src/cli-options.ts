import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
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
  --rate-limit <n>           requests per token per 10 s window (default 100)
  --batch-cap <n>            inputs per batch (default 100)
  --conflict-mode <mode>     207-error | 409 | 400-in-use | silent-dedupe | last-wins (default 207-error)
  --token <token>            accept this bearer token (repeatable; replaces the default token)
  --token-ttl <seconds>      lifetime of tokens from /oauth/v1/token (default 1800)
  --no-auth                  accept any request, with or without a bearer
  --offline                  start with the API refusing connections
  -h, --help                 show this help

Control routes: GET <url>/__emulator lists them.`;

/** What the command line asks for. */
export type CliCommand =
  | { readonly help: true }
  | { readonly help: false; readonly options: EmulatorOptions };

/** Reads a JSON argument: inline when it starts with `{` or `[`, else a file path. */
function readJsonArg(name: string, value: string): unknown {
  const text = /^\s*[[{]/.test(value) ? value : readFileSync(value, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TypeError(`--${name}: not valid JSON (${(error as Error).message})`);
  }
}

function intArg(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new TypeError(`--${name}: must be a non-negative integer`);
  return n;
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
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
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
      'batch-cap': { type: 'string' },
      'conflict-mode': { type: 'string' },
      token: { type: 'string', multiple: true },
      'token-ttl': { type: 'string' },
      'no-auth': { type: 'boolean' },
      offline: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };

  let templates: readonly EventTemplate[] | undefined;
  if (values.templates !== undefined) {
    const parsed = readJsonArg('templates', values.templates);
    const list = Array.isArray(parsed) ? parsed : (parsed as { templates?: unknown }).templates;
    if (!Array.isArray(list)) throw new TypeError('--templates: expected an array of templates');
    templates = list as EventTemplate[];
  }
  const faults: Record<string, unknown> = {
    ...(values.faults === undefined ? {} : (readJsonArg('faults', values.faults) as FaultOptions)),
  };
  const seed = intArg('seed', values.seed);
  if (seed !== undefined) faults.seed = seed;
  const latency = intArg('latency', values.latency);
  if (latency !== undefined) faults.latencyMs = latency;
  const jitter = intArg('jitter', values.jitter);
  if (jitter !== undefined) faults.jitterMs = jitter;

  const limits: Record<string, unknown> = {
    ...(values.limits === undefined ? {} : (readJsonArg('limits', values.limits) as LimitsOptions)),
  };
  const rateLimit = intArg('rate-limit', values['rate-limit']);
  if (rateLimit !== undefined) limits.rateLimit = rateLimit;
  const batchCap = intArg('batch-cap', values['batch-cap']);
  if (batchCap !== undefined) limits.maxBatchSize = batchCap;
  if (values['conflict-mode'] !== undefined) limits.conflictMode = values['conflict-mode'] as ConflictMode;

  const ttl = intArg('token-ttl', values['token-ttl']);
  const auth = {
    ...(values['no-auth'] ? { requireAuth: false } : {}),
    ...(values.token === undefined ? {} : { tokens: values.token.map((token) => ({ token })) }),
    ...(ttl === undefined ? {} : { accessTokenTtlMs: ttl * 1000 }),
  };

  const options: EmulatorOptions = {
    host: values.host ?? '127.0.0.1',
    port: intArg('port', values.port) ?? 4010,
    ...(values['control-port'] === undefined
      ? {}
      : { controlPort: intArg('control-port', values['control-port'])! }),
    ...(templates === undefined ? {} : { templates }),
    faults: faults as FaultOptions,
    limits: limits as LimitsOptions,
    auth,
    online: !values.offline,
  };
  return { help: false, options };
}
