import type { ResolvedLimits } from '../limits/limit-types.js';
import type { RateLimitSettings } from '../limits/rate-limiter.js';
import type { AccountLimitsOptions } from './account-types.js';

/** The account that today's single-account options (`auth.tokens`, `auth.clients`) and tokens belong to. */
export const defaultAccountId = '100000';

const accountIdPattern = /^[1-9][0-9]{0,9}$/;

/**
 * Checks an account id, naming the field at fault: a HubSpot portal (hub) id, digits, at most 2^31 − 1 (the
 * specs' `hub_id` is an int32).
 */
export function checkAccountId(id: unknown, field: string): string {
  if (typeof id !== 'string' || !accountIdPattern.test(id) || Number(id) > 2_147_483_647) {
    throw new TypeError(
      `${field}: a HubSpot account (portal) id, digits only (at most 2147483647), e.g. '12345'`,
    );
  }
  return id;
}

/** One account's rate-limit state: its own settings and the key of its budget in the limiter. */
export interface AccountEntry {
  /** The account id. */
  readonly id: string;
  /** The limiter key of its budget. */
  readonly rateKey: string;
  /** Its limits in force (its own, else the emulator's). */
  settings: RateLimitSettings;
  /** Its own limits, each absent when the emulator's applies. */
  overrides: {
    /** Requests per rolling window, for this account alone. */
    rateLimit?: number;
    /** The rolling window, in milliseconds, for this account alone. */
    rateWindowMs?: number;
    /** Requests per UTC day for this account; `null` means no daily cap even when the emulator has one. */
    dailyLimit?: number | null;
  };
}

function checkAccountLimits(limits: AccountLimitsOptions, at: string): void {
  for (const key of ['rateLimit', 'rateWindowMs', 'dailyLimit'] as const) {
    const value = limits[key];
    if (value !== undefined && value !== null && !(Number.isInteger(value) && value > 0)) {
      throw new TypeError(`${at}.${key}: must be a positive integer`);
    }
  }
}

/** The accounts the emulator knows, with their rate limits. The default account always exists. */
export class AccountRegistry {
  readonly #accounts = new Map<string, AccountEntry>();
  #global: RateLimitSettings;

  /**
   * An empty registry holding only the default account.
   *
   * @param limits - the emulator's limits, which every account without its own inherits.
   */
  constructor(limits: ResolvedLimits) {
    this.#global = limits;
    this.ensure(defaultAccountId);
  }

  /** The account with this id, added (with the emulator's limits) when not yet known. */
  ensure(id: string): AccountEntry {
    let entry = this.#accounts.get(id);
    if (entry === undefined) {
      entry = { id, rateKey: `account:${id}`, settings: this.#global, overrides: {} };
      this.#accounts.set(id, entry);
    }
    return entry;
  }

  /** The emulator's own limits, which accounts follow where they have none of their own. */
  get defaults(): RateLimitSettings {
    return this.#global;
  }

  /** The account with this id, if known. */
  get(id: string): AccountEntry | undefined {
    return this.#accounts.get(id);
  }

  /** Every known account id, in the order they became known. */
  ids(): string[] {
    return [...this.#accounts.keys()];
  }

  /** Takes the emulator's limits, which every account follows where it has none of its own. */
  setGlobal(limits: ResolvedLimits): void {
    this.#global = limits;
    for (const entry of this.#accounts.values()) entry.settings = this.#resolve(entry.overrides);
  }

  /** Merges an account's own limits (`dailyLimit: null`: no daily cap for it). */
  setLimits(id: string, limits: AccountLimitsOptions, at = 'limits'): void {
    checkAccountLimits(limits, at);
    const entry = this.ensure(id);
    const overrides = { ...entry.overrides };
    for (const key of ['rateLimit', 'rateWindowMs', 'dailyLimit'] as const) {
      const value = limits[key];
      if (value !== undefined) overrides[key] = value as number;
    }
    if (limits.dailyLimit === null) overrides.dailyLimit = null;
    entry.overrides = overrides;
    entry.settings = this.#resolve(overrides);
  }

  #resolve(overrides: AccountEntry['overrides']): RateLimitSettings {
    const g = this.#global;
    const daily = overrides.dailyLimit === null ? undefined : (overrides.dailyLimit ?? g.dailyLimit);
    return {
      rateLimit: overrides.rateLimit ?? g.rateLimit,
      rateWindowMs: overrides.rateWindowMs ?? g.rateWindowMs,
      ...(daily === undefined ? {} : { dailyLimit: daily }),
    };
  }
}
