import type { RunningEmulator } from '@hubline/emulator';
import type { Outbox } from '@hubline/outbox';
import type { SyncEngine, SyncStatus } from '@hubline/sync';
import type { Subscription } from 'rxjs';
import { type DemoAccounts, THROTTLED_LIMIT } from './demo-accounts.js';

/** One account as the dashboard lists it (`GET /api/accounts`). */
export interface AccountView {
  /** The HubSpot account (portal) id. */
  readonly id: string;
  /** The engine's state for this account alone: `idle`, `sending`, `rate-limited`, `unauthorized`, … */
  readonly state: string;
  /** Why, in the engine's words; absent while idle or sending. */
  readonly reason?: string;
  /** Whether the app is still installed there (its refresh token honoured). */
  readonly installed: boolean;
  /** Whether the emulator holds it to {@link THROTTLED_LIMIT} request per window. */
  readonly throttled: boolean;
  /** The outbox's count of this account's events waiting to be sent. */
  readonly pending: number;
  /** Its events leased by an engine now. */
  readonly inFlight: number;
  /** Its events HubSpot holds. */
  readonly delivered: number;
  /** Its dead letters. */
  readonly dead: number;
}

/** What a person can do to the demo's accounts from the dashboard. */
export interface AccountControls {
  /** Every account, with its state and counts. */
  list(): AccountView[];
  /** Uninstall the app from an account at the emulator: HubSpot refuses its tokens from now on. Returns installs revoked. */
  uninstall(account: string): number;
  /** Hold an account to one request per window at the emulator (`on`), or give it the default limits back. */
  throttle(account: string, on: boolean): void;
  /** Drop an account's waiting events and dead letters (an uninstalled app's). Returns how many. */
  discard(account: string): number;
  /** Stop following the engine. */
  close(): void;
}

/** What {@link createAccountControls} steers. */
export interface AccountControlParts {
  /** The demo's accounts; `undefined` against real HubSpot (one account, the default). */
  readonly accounts: DemoAccounts | undefined;
  /** The demo's outbox, which discards an account's events. */
  readonly outbox: Outbox;
  /** The engine whose per-account statuses the view shows. */
  readonly engine: SyncEngine;
  /** The emulator that uninstalls and throttles; `undefined` against real HubSpot. */
  readonly emulator: RunningEmulator | undefined;
  /** Receives a line for the terminal. */
  readonly notice: (line: string) => void;
}

/**
 * The dashboard's view of the demo's accounts and its controls over them. Against real HubSpot there is one account
 * and nothing to uninstall or throttle: those controls answer with a `RangeError` (a 409 on the dashboard).
 *
 * @param parts - see {@link AccountControlParts}
 */
export function createAccountControls(parts: AccountControlParts): AccountControls {
  const { accounts, outbox, engine, emulator, notice } = parts;
  let statuses: Readonly<Record<string, SyncStatus>> = {};
  const following: Subscription = engine.statuses$.subscribe((next) => {
    statuses = next;
  });
  const throttled = new Set<string>();

  const known = (account: string): { emulator: RunningEmulator } => {
    if (accounts === undefined || emulator === undefined) {
      throw new RangeError('accounts can be uninstalled or throttled only on the emulator');
    }
    if (!accounts.ids.includes(account)) throw new RangeError(`no account "${account}" in this demo`);
    return { emulator };
  };

  return {
    list: () =>
      (accounts?.ids ?? ['default']).map((id) => {
        const status = statuses[id] ?? { state: 'idle' };
        const { pending, inFlight, delivered, dead } = outbox.stats(id);
        return {
          id,
          state: status.state,
          ...('reason' in status && status.reason !== undefined ? { reason: status.reason } : {}),
          installed: emulator === undefined ? true : (emulator.account(id)?.installs.active ?? 0) > 0,
          throttled: throttled.has(id),
          pending,
          inFlight,
          delivered,
          dead,
        };
      }),
    uninstall(account) {
      const revoked = known(account).emulator.revokeInstalls(account);
      notice(`app uninstalled from account ${account}: its events wait (or discard them)`);
      return revoked;
    },
    throttle(account, on) {
      const { emulator: running } = known(account);
      running.setAccountLimits(account, { rateLimit: on ? THROTTLED_LIMIT : running.limits().rateLimit });
      if (on) throttled.add(account);
      else throttled.delete(account);
      notice(`account ${account} ${on ? 'throttled by HubSpot' : 'back to its full rate limit'}`);
    },
    discard(account) {
      if (accounts !== undefined && !accounts.ids.includes(account)) {
        throw new RangeError(`no account "${account}" in this demo`);
      }
      const count = outbox.discard({ account });
      notice(`discarded ${count} event${count === 1 ? '' : 's'} of account ${account}`);
      return count;
    },
    close: () => following.unsubscribe(),
  };
}
