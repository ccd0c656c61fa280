/** Accounts (HubSpot portals): each has its own tokens, OAuth installs, rate budget and stored events. */
import type { StaticTokenOptions } from '../auth/auth-types.js';
import type { EmulatorCounters } from '../emulator-types.js';
import type { LimitsOptions } from '../limits/limit-types.js';

/** The rate limits of one account; a field left out follows the emulator's `limits`. */
export type AccountLimitsOptions = Pick<LimitsOptions, 'rateLimit' | 'rateWindowMs' | 'dailyLimit'>;

/** An install of the app in an account: a refresh token its OAuth client may exchange. */
export interface InstallOptions {
  /** The refresh token of the install. */
  readonly refreshToken: string;
  /**
   * The OAuth client (app) installed.
   * @default the first of `auth.clients`
   */
  readonly clientId?: string;
  /**
   * Scopes of the access tokens issued for it.
   * @default the client's scopes
   */
  readonly scopes?: readonly string[];
  /**
   * Whether each refresh answers a new refresh token. The previous one keeps working until the new one is
   * first used, so an answer lost on the way does not lock the app out.
   * @default true
   */
  readonly rotate?: boolean;
}

/** One account (portal) of {@link EmulatorOptions.accounts}. */
export interface AccountOptions {
  /** The account's id, HubSpot's portal (hub) id: digits, e.g. `'12345'`. */
  readonly id: string;
  /**
   * Static access tokens of this account.
   * @default []
   */
  readonly tokens?: readonly StaticTokenOptions[];
  /**
   * Installs of the app in this account.
   * @default []
   */
  readonly installs?: readonly InstallOptions[];
  /** This account's rate limits; unset fields follow `limits` (100 requests / 10 s by default). */
  readonly limits?: AccountLimitsOptions;
}

/** The rate limits in force for one account. */
export interface ResolvedAccountLimits {
  /** Requests in the rolling window. */
  readonly rateLimit: number;
  /** The rolling window, in milliseconds. */
  readonly rateWindowMs: number;
  /** Requests per UTC day, when a daily cap applies. */
  readonly dailyLimit?: number;
}

/** What the emulator shows of one account. */
export interface AccountSummary {
  /** The account id. */
  readonly id: string;
  /** Its rate limits in force. */
  readonly limits: ResolvedAccountLimits;
  /** What is left of its budget now: of the rolling window and, with a daily cap, of the day. */
  readonly budget: {
    /** Requests still allowed in the current rolling window. */
    readonly remaining: number;
    /** Requests still allowed today (UTC); absent when no daily cap applies. */
    readonly dailyRemaining?: number;
  };
  /** Its OAuth installs. */
  readonly installs: {
    /** Installs whose refresh token is still honoured. */
    readonly active: number;
    /** Installs uninstalled or revoked: their refresh tokens are refused. */
    readonly revoked: number;
  };
  /** Its counters: requests made with its tokens, events stored in it, … */
  readonly counters: EmulatorCounters;
}
