import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { checkAccountId } from '../accounts/account-registry.js';
import { accountSummary } from '../accounts/account-summary.js';
import type { AccountSummary } from '../accounts/account-types.js';
import type { RunningEmulator } from '../emulator-types.js';
import { mergeLimits } from '../limits/limits.js';
import type { OnlineSwitch } from './listeners.js';
import type { Runtime } from './runtime.js';

/** The listeners a running emulator owns. */
export interface Listeners {
  /** The interface both listen on. */
  readonly host: string;
  /** The API app. */
  readonly app: FastifyInstance;
  /** The API listener's on/off switch. */
  readonly online: OnlineSwitch;
  /** The control listener. */
  readonly control: Server;
  /** The API port. */
  readonly port: () => number;
  /** The control port. */
  readonly controlPort: () => number;
}

/** The account methods of the running emulator. */
function accountMethods(
  rt: Runtime,
): Pick<
  RunningEmulator,
  'accounts' | 'account' | 'setAccountLimits' | 'authorize' | 'revokeInstalls' | 'issueToken'
> {
  return {
    accounts: () => rt.accounts.ids().flatMap((id) => accountSummary(rt, id) ?? []) as AccountSummary[],
    account: (id) => accountSummary(rt, id),
    setAccountLimits(id, limits) {
      rt.accounts.setLimits(checkAccountId(id, 'account'), limits);
    },
    authorize(account, options = {}) {
      const code = rt.tokens.authorize(account, options, rt.clock());
      rt.accounts.ensure(account);
      return code;
    },
    revokeInstalls: (account) => rt.tokens.installs.revokeAccount(account),
    issueToken(options = {}) {
      const issued = rt.tokens.issue(rt.clock(), options);
      if (options.account !== undefined) rt.accounts.ensure(options.account);
      return issued;
    },
  };
}

/** The programmatic face of a started emulator. */
export function createRunningEmulator(rt: Runtime, listeners: Listeners): RunningEmulator {
  const { host, app, online, control } = listeners;
  const emulator: RunningEmulator = {
    get url() {
      return `http://${host}:${listeners.port()}`;
    },
    get port() {
      return listeners.port();
    },
    get controlUrl() {
      return `http://${host}:${listeners.controlPort()}`;
    },
    get online() {
      return online.online;
    },
    appId: rt.developer.appId,
    events(filter = {}) {
      const events = rt.store.list(filter.account);
      return filter.eventTemplateId === undefined
        ? events
        : events.filter((e) => e.eventTemplateId === filter.eventTemplateId);
    },
    requests: () => rt.log.entries(),
    counters: (account) => rt.log.counters(account),
    reset() {
      rt.store.clear();
      rt.log.clear();
      rt.limiter.clear();
      rt.planner.restart();
      rt.generation += 1;
    },
    setFaults: (faults) => rt.planner.update(faults),
    faults: () => rt.planner.settings,
    setLimits(next) {
      rt.limits = mergeLimits(rt.limits, next);
      rt.accounts.setGlobal(rt.limits);
    },
    limits: () => rt.limits,
    setOnline: (next) => online.set(next),
    templates: () => [...rt.templates.list()],
    ...accountMethods(rt),
    async stop() {
      if (rt.sleeper.stopped) return;
      rt.sleeper.stop();
      await online.settled();
      control.close();
      control.closeAllConnections();
      await app.close();
    },
    [Symbol.asyncDispose]() {
      return emulator.stop();
    },
  };
  return emulator;
}
