/** What the accounts benchmark is built from: the emulator in its own process, its control routes, and children. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EmulatorOptions } from '@hubline/emulator';
import { openOutbox } from '@hubline/outbox';
import type { AccountsChildConfig, AccountsChildResult } from './accounts-drain-child.js';
import { visit } from './support/fixtures.js';
import { spawnJsonChild } from './support/processes.js';

/** The emulator's counters, as its control route answers them. */
export interface EmulatorCounts {
  readonly requests: number;
  readonly rateLimited: number;
  readonly eventsStored: number;
  readonly duplicateIdsSeen: number;
  readonly byStatus: Readonly<Record<string, number>>;
}

/** An emulator running in its own process (HubSpot's CPU is not the client's). */
export interface BenchEmulator {
  readonly url: string;
  /** Its counters, of one account or of all. */
  counters(account?: string): Promise<EmulatorCounts>;
  /** Every stored event's account and id. */
  stored(): Promise<{ account: string; id: string }[]>;
  /** When (emulator clock, epoch ms) each request arrived and how it was answered, oldest first. */
  arrivals(): Promise<{ receivedAt: number; status: number | null }[]>;
  stop(): Promise<void>;
}

/**
 * Start the emulator in a child process.
 *
 * @param options - its options (accounts, limits, faults)
 */
export async function startBenchEmulator(options: EmulatorOptions): Promise<BenchEmulator> {
  const child = await spawnJsonChild<{ url: string; controlUrl: string }>('emulator-child.ts', options);
  const control = async <T>(path: string): Promise<T> =>
    (await (await fetch(`${child.value.controlUrl}${path}`)).json()) as T;
  return {
    url: child.value.url,
    counters: (account) =>
      control(`/__emulator/counters${account === undefined ? '' : `?account=${account}`}`),
    async stored() {
      const page = await control<{ events: { account: string; id: string }[] }>('/__emulator/events');
      return page.events.map(({ account, id }) => ({ account, id }));
    },
    async arrivals() {
      const log = await control<{ requests: { receivedAt: number; status: number | null }[] }>(
        '/__emulator/requests',
      );
      return log.requests.map(({ receivedAt, status }) => ({ receivedAt, status }));
    },
    stop: () => child.stop(),
  };
}

/**
 * Record `perAccount` events for each account in a new outbox file, ids `<account>-<idPrefix><n>`, in transactions of 5000.
 *
 * @param path - the outbox file
 * @param accounts - the accounts
 * @param perAccount - events per account (one number for all, or one per account)
 * @param idPrefix - put between the account and the number, so files recorded apart hold different ids
 */
export function prefillAccounts(
  path: string,
  accounts: readonly string[],
  perAccount: number | ((account: string) => number),
  idPrefix = '',
): number {
  const outbox = openOutbox({ path });
  let total = 0;
  for (const account of accounts) {
    const count = typeof perAccount === 'number' ? perAccount : perAccount(account);
    for (let from = 0; from < count; from += 5000) {
      const inputs = Array.from({ length: Math.min(5000, count - from) }, (_, i) => ({
        ...visit(from + i),
        id: `${account}-${idPrefix}${from + i}`,
        account,
      }));
      total += outbox.recordMany(inputs).length;
    }
  }
  outbox.close();
  return total;
}

/** A drain child the benchmark can wait for or SIGKILL. */
export interface DrainChild {
  readonly process: ChildProcess;
  /** Resolves once it printed `ready`. */
  readonly ready: Promise<void>;
  /** Resolves with its result line, or `undefined` when it was killed (or died) first. */
  readonly result: Promise<AccountsChildResult | undefined>;
  /** Events it said it delivered so far. */
  delivered(): number;
  kill(): Promise<void>;
}

/**
 * Run `accounts-drain-child.ts` under tsx.
 *
 * @param config - the child's configuration
 */
export function startDrainChild(config: AccountsChildConfig): DrainChild {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@hubline/source',
      '--import',
      'tsx',
      fileURLToPath(new URL('./accounts-drain-child.ts', import.meta.url)),
      JSON.stringify(config),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let delivered = 0;
  let buffer = '';
  let onReady: () => void = () => {};
  let onResult: (value: AccountsChildResult | undefined) => void = () => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const result = new Promise<AccountsChildResult | undefined>((resolve) => {
    onResult = resolve;
  });
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const lines = (buffer + chunk).split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === 'ready') onReady();
      else if (line.startsWith('delivered ')) delivered = Number(line.slice('delivered '.length));
      else if (line.startsWith('{')) onResult(JSON.parse(line) as AccountsChildResult);
    }
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      onReady();
      onResult(undefined);
      resolve();
    }),
  );
  return {
    process: child,
    ready,
    result,
    delivered: () => delivered,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Fastest possible drain of `requests` under `limit` per window: each window used to the full from t = 0. */
export function idealMs(requests: number, limit: number, windowMs: number): number {
  return Math.floor((requests - 1) / limit) * windowMs;
}
