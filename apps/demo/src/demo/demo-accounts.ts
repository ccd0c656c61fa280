import type { TimelineEventInput } from '@hubline/core';
import { type AccountOptions, defaultOAuthClient } from '@hubline/emulator';
import { type InstallTokens, oauthInstalls, type TokenProvider } from '@hubline/sync';

/** The HubSpot accounts (portals) the demo's app is installed in, against the emulator. */
const DEMO_ACCOUNTS: readonly string[] = Object.freeze(['101', '202', '303']);

/** The rate limit a throttled account gets from the emulator: one request per 10-second window. */
export const THROTTLED_LIMIT = 1;

/** The demo's integrator app, installed in several accounts of the emulator. */
export interface DemoAccounts {
  /** The account ids, in the order the kiosks take turns recording into them. */
  readonly ids: readonly string[];
  /** The accounts to start the emulator with: each has one install of the app (rotating refresh tokens). */
  readonly emulatorAccounts: readonly AccountOptions[];
  /**
   * Each account's token provider, for the engine's `accounts`: OAuth refreshes of the account's install, the
   * refresh tokens kept in memory only (the demo's secret store).
   *
   * @param baseUrl - the emulator's URL, where `/oauth/v1/token` lives
   */
  tokens(baseUrl: string): (account: string) => TokenProvider;
  /** The same event, for the next account in turn. */
  assign(input: TimelineEventInput): TimelineEventInput;
}

/**
 * The demo's accounts: events are spread over them in turn, and each is delivered with its own install's tokens.
 *
 * @param ids - the account ids (HubSpot portal ids: digits)
 */
export function createDemoAccounts(ids: readonly string[] = DEMO_ACCOUNTS): DemoAccounts {
  const installs = new Map<string, InstallTokens>(
    ids.map((account) => [account, { refreshToken: `demo-install-${account}` }]),
  );
  let turn = 0;
  return {
    ids,
    emulatorAccounts: ids.map((id) => ({
      id,
      installs: [{ refreshToken: `demo-install-${id}`, clientId: defaultOAuthClient.clientId }],
    })),
    tokens: (baseUrl) =>
      oauthInstalls({
        clientId: defaultOAuthClient.clientId,
        clientSecret: defaultOAuthClient.clientSecret,
        baseUrl,
        store: {
          load: (account) => installs.get(account),
          save: (account, tokens) => {
            installs.set(account, tokens);
          },
        },
      }),
    assign(input) {
      const account = ids[turn % ids.length]!;
      turn += 1;
      return { ...input, account };
    },
  };
}
