/**
 * One process of the accounts benchmark: drains an outbox file shared with other processes (or its own), one lane
 * per account, each account with its own token. Argument: JSON {@link AccountsChildConfig}. Prints `ready` once the
 * engine runs, `delivered <n>` every 500 ms, and one JSON line with its result once none of its accounts has anything
 * pending or in flight in the file (and `untilDelivered` events are delivered), then exits. SIGKILL is the crash it exists to survive.
 */
import { v3Dialect } from '@hubline/core';
import { openOutbox } from '@hubline/outbox';
import { createSyncEngine } from '../src/engine/create-sync-engine.js';

/** What the child is told. */
export interface AccountsChildConfig {
  /** The outbox file. */
  readonly path: string;
  /** The emulator's API URL. */
  readonly baseUrl: string;
  /** Each account's access token. */
  readonly tokens: Readonly<Record<string, string>>;
  /** The lease owner name. */
  readonly owner: string;
  readonly batchSize: number;
  readonly maxInFlight: number;
  /** The engine's pacing: HubSpot's budget (and the headers), shared through the store where it keeps slots. */
  readonly rateLimit: { readonly requests: number; readonly windowMs: number };
  /** Also wait until the file holds this many delivered events (for events recorded after the start). @default 0 */
  readonly untilDelivered?: number;
}

/** What the child prints last. */
export interface AccountsChildResult {
  /** Events this process delivered. */
  readonly delivered: number;
  /** Requests it sent, and 429s it got. */
  readonly requests: number;
  readonly rateLimited: number;
  /** From the engine's start to the file's last account drained. */
  readonly ms: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as AccountsChildConfig;
const outbox = openOutbox({ path: config.path });
const engine = createSyncEngine({
  outbox,
  accounts: config.tokens,
  baseUrl: config.baseUrl,
  dialect: v3Dialect,
  owner: config.owner,
  batchSize: config.batchSize,
  maxInFlight: config.maxInFlight,
  rateLimit: config.rateLimit,
  pollIntervalMs: 200,
  batchDelayMs: 0,
});
let delivered = 0;
engine.outcomes$.subscribe((outcome) => {
  if (outcome.type === 'delivered') delivered += 1;
});
const started = performance.now();
engine.start();
process.stdout.write('ready\n');
const accounts = Object.keys(config.tokens);
const drained = (): boolean =>
  outbox.stats().delivered >= (config.untilDelivered ?? 0) &&
  accounts.every((account) => {
    const stats = outbox.stats(account);
    return stats.pending === 0 && stats.inFlight === 0;
  });
const progress = setInterval(() => process.stdout.write(`delivered ${delivered}\n`), 500);
while (!drained()) await new Promise((resolve) => setTimeout(resolve, 50));
const ms = performance.now() - started;
clearInterval(progress);
const totals = await Promise.all(accounts.map((account) => engine.statsOf(account)));
await engine.stop();
outbox.close();
const result: AccountsChildResult = {
  delivered,
  requests: totals.reduce((sum, stats) => sum + stats.requests, 0),
  rateLimited: totals.reduce((sum, stats) => sum + stats.rateLimited, 0),
  ms,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
