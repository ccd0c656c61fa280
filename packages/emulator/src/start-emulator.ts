import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccountRegistry } from './accounts/account-registry.js';
import type { DeveloperOptions } from './auth/auth-types.js';
import { defaultDeveloper, type ResolvedDeveloper } from './auth/developer-key.js';
import { TokenStore } from './auth/token-store.js';
import { registerControlRoutes } from './control/control-routes.js';
import type { EmulatorOptions, RunningEmulator } from './emulator-types.js';
import { EventStore } from './events/event-store.js';
import { FaultPlanner } from './faults/fault-planner.js';
import { defaultLimits, mergeLimits } from './limits/limits.js';
import { RateLimiter } from './limits/rate-limiter.js';
import { createApp } from './server/create-app.js';
import { listen, OnlineSwitch } from './server/listeners.js';
import { RequestLog } from './server/request-log.js';
import { createRunningEmulator } from './server/running-emulator.js';
import type { Runtime } from './server/runtime.js';
import { Sleeper } from './server/sleeper.js';
import { defaultTemplates } from './templates/default-templates.js';
import { TemplateRegistry } from './templates/template-registry.js';

function resolveDeveloper(options: DeveloperOptions = {}): ResolvedDeveloper {
  const appId = options.appId ?? defaultDeveloper.appId;
  const apiKey = options.apiKey ?? defaultDeveloper.apiKey;
  if (!(Number.isInteger(appId) && appId > 0 && appId <= 2_147_483_647)) {
    throw new TypeError('developer.appId: a positive 32-bit integer');
  }
  if (typeof apiKey !== 'string' || apiKey.length === 0) throw new TypeError('developer.apiKey: required');
  return { appId, apiKey };
}

/** Builds the shared state of an emulator from its options, checking them (errors name the field). */
function createRuntime(options: EmulatorOptions): Runtime {
  const clock = options.clock ?? Date.now;
  const limits = mergeLimits(defaultLimits, options.limits ?? {});
  const accounts = new AccountRegistry(limits);
  const tokens = new TokenStore(options.auth, options.accounts);
  (options.accounts ?? []).forEach((account, i) => {
    accounts.ensure(account.id);
    if (account.limits !== undefined) accounts.setLimits(account.id, account.limits, `accounts[${i}].limits`);
  });
  return {
    clock,
    sleeper: new Sleeper(options.sleep),
    templates: new TemplateRegistry(options.templates ?? defaultTemplates, clock()),
    tokens,
    accounts,
    developer: resolveDeveloper(options.developer),
    planner: new FaultPlanner(options.faults),
    limiter: new RateLimiter(),
    store: new EventStore(),
    log: new RequestLog(options.maxRequestLog ?? 10_000, clock),
    limits,
    generation: 0,
  };
}

/**
 * Starts a local HubSpot timeline API on loopback: the v3 batch, single and read-back routes (and their old
 * `/crm/v3/timeline/events` paths), the `2026-03` batch route, the app's event-template routes (developer
 * key), the OAuth routes, and the `/__emulator/…` control routes. Access tokens belong to accounts (portals),
 * each with its own events, rate budget and OAuth installs. Latency and faults are drawn from a seeded PRNG
 * (faults only for requests that get past the body cap, auth and the rate limit), so a run can be replayed.
 *
 * @param options - templates, auth, accounts, developer key, limits, faults, clock, sleep; all optional.
 * @returns the running emulator: its `url`, inspection and control methods, and `stop()`.
 * @example
 * ```ts
 * await using emu = await startEmulator({ faults: { seed: 7, rates: { 'error-503': 0.1 } } });
 * await fetch(`${emu.url}/integrators/timeline/v3/events/batch/create`, {
 *   method: 'POST',
 *   headers: { authorization: 'Bearer hubline-emulator-token', 'content-type': 'application/json' },
 *   body: JSON.stringify({ inputs: [{ eventTemplateId: '1001234', id: 'e1', email: 'ana@example.com', tokens: { page: '/pricing', seconds: '42' } }] }),
 * });
 * emu.events(); // [{ id: 'e1', account: '100000', ... }]
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const rt = createRuntime(options);
  const app = createApp(rt);
  const online = new OnlineSwitch(app.server, host, () => rt.sleeper.stopped);
  const control = createServer(app.routing);
  let port = 0;
  let controlPort = 0;
  const emulator = createRunningEmulator(rt, {
    host,
    app,
    online,
    control,
    port: () => port,
    controlPort: () => controlPort,
  });
  registerControlRoutes(app, {
    emulator,
    goOffline: (socket) => online.set(false, socket),
    sleep: (ms) => rt.sleeper.sleep(ms),
  });
  await app.listen({ port: options.port ?? 0, host });
  port = (app.server.address() as AddressInfo).port;
  online.port = port;
  await listen(control, options.controlPort ?? 0, host);
  controlPort = (control.address() as AddressInfo).port;
  if (options.online === false) await online.set(false);
  return emulator;
}
