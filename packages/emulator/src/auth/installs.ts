import { randomUUID } from 'node:crypto';

/** One install of an OAuth app in an account: its refresh token(s) and whether it was revoked. */
export interface Install {
  /** 1-based, in the order installs were made; names it in the request log. */
  readonly id: number;
  /** The account it was installed in. */
  readonly account: string;
  /** The OAuth client (app) installed. */
  readonly clientId: string;
  /** Scopes of the access tokens issued for it. */
  readonly scopes: readonly string[];
  /** Whether each refresh answers a new refresh token. */
  readonly rotate: boolean;
  /** The refresh token handed out last. */
  current: string;
  /** The refresh token before it, still accepted until `current` is first used. */
  previous: string | undefined;
  /** Revoked (uninstalled): its refresh tokens are refused and its access tokens answered 401. */
  revoked: boolean;
}

/** An authorization code not yet exchanged. */
interface PendingCode {
  readonly account: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly redirectUri: string | undefined;
  readonly expiresAt: number;
}

/** Why a code exchange was refused. */
export type CodeRefusal = 'unknown' | 'expired' | 'client' | 'redirect';

/** How long an authorization code may wait for its exchange. */
const codeTtlMs = 600_000;

/**
 * The installs of the app in every account: refresh tokens (rotating or not), authorization codes waiting to be
 * exchanged, and revocation.
 */
export class Installs {
  readonly #byRefresh = new Map<string, Install>();
  readonly #codes = new Map<string, PendingCode>();
  readonly #list: Install[] = [];

  /** Adds an install whose refresh token is `refreshToken`. */
  add(
    account: string,
    clientId: string,
    scopes: readonly string[],
    rotate: boolean,
    refreshToken: string,
  ): Install {
    if (this.#byRefresh.has(refreshToken)) throw new TypeError('refreshToken: already belongs to an install');
    const install: Install = {
      id: this.#list.length + 1,
      account,
      clientId,
      scopes,
      rotate,
      current: refreshToken,
      previous: undefined,
      revoked: false,
    };
    this.#list.push(install);
    this.#byRefresh.set(refreshToken, install);
    return install;
  }

  /** The live install a refresh token belongs to (its current token, or the previous one), if any. */
  find(refreshToken: string): Install | undefined {
    const install = this.#byRefresh.get(refreshToken);
    return install === undefined || install.revoked ? undefined : install;
  }

  /**
   * The refresh token to answer a refresh made with `used`: the same one for an install that does not rotate,
   * else a new one. Using the current token retires the previous one; using the previous one (the answer that
   * handed out the current one was lost) keeps it and discards the current, never-used one.
   */
  refreshWith(install: Install, used: string): string {
    if (!install.rotate) return install.current;
    const next = `emu-rt-${randomUUID()}`;
    if (used === install.current) {
      if (install.previous !== undefined) this.#byRefresh.delete(install.previous);
      install.previous = install.current;
    } else {
      this.#byRefresh.delete(install.current);
    }
    install.current = next;
    this.#byRefresh.set(next, install);
    return next;
  }

  /** Hands out an authorization code for a new install in `account`. */
  authorize(
    account: string,
    clientId: string,
    scopes: readonly string[],
    redirectUri: string | undefined,
    now: number,
  ): { code: string; expiresAt: number } {
    const code = `emu-code-${randomUUID()}`;
    const expiresAt = now + codeTtlMs;
    this.#codes.set(code, { account, clientId, scopes, redirectUri, expiresAt });
    return { code, expiresAt };
  }

  /** Exchanges a code (once) for a new rotating install, or says why not. */
  redeem(code: string, clientId: string, redirectUri: string | null, now: number): Install | CodeRefusal {
    const pending = this.#codes.get(code);
    if (pending === undefined) return 'unknown';
    if (pending.clientId !== clientId) return 'client';
    if (pending.redirectUri !== undefined && pending.redirectUri !== redirectUri) return 'redirect';
    this.#codes.delete(code);
    if (now >= pending.expiresAt) return 'expired';
    return this.add(pending.account, pending.clientId, pending.scopes, true, `emu-rt-${randomUUID()}`);
  }

  /** Revokes every live install of `account`; returns how many. */
  revokeAccount(account: string): number {
    let revoked = 0;
    for (const install of this.#list) {
      if (install.account !== account || install.revoked) continue;
      this.#revoke(install);
      revoked += 1;
    }
    return revoked;
  }

  /** Revokes the install a refresh token belongs to; false when the token is unknown or already revoked. */
  revokeRefreshToken(refreshToken: string): boolean {
    const install = this.find(refreshToken);
    if (install === undefined) return false;
    this.#revoke(install);
    return true;
  }

  /** How many installs of `account` are live and revoked. */
  counts(account: string): { active: number; revoked: number } {
    let active = 0;
    let revoked = 0;
    for (const install of this.#list) {
      if (install.account !== account) continue;
      if (install.revoked) revoked += 1;
      else active += 1;
    }
    return { active, revoked };
  }

  #revoke(install: Install): void {
    install.revoked = true;
    this.#byRefresh.delete(install.current);
    if (install.previous !== undefined) this.#byRefresh.delete(install.previous);
  }
}
