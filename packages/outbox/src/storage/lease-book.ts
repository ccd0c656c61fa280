import type { EntryState } from '@hubline/core/store';

/** What one connection knows of an entry it leased: enough to settle it without reading the row again. */
export interface Lease {
  /** The entry's id. */
  readonly id: string;
  /** The entry's row key. */
  readonly rk: number;
  /** Who took the lease. */
  readonly owner: string;
  /** The entry's size. */
  readonly bytes: number;
  /** The entry's account. */
  readonly account: string;
  /** The entry's version (log length) right after the claim. */
  readonly version: number;
  /** The entry's state right after the claim. */
  readonly state: EntryState;
}

/** Claims remembered at most; older ones are forgotten (their settles read the rows). */
const DEFAULT_CLAIMS = 16;

/**
 * The leases this connection took and has not settled yet, by entry id. Settling trusts an entry here only
 * if the row still has the same id and version (an UPDATE guarded on both): anything else that touched the
 * row since the claim — another process, an expired lease, an eviction — bumped its version, and the settle
 * falls back to reading the row. So a stale or missing lease costs a read, never a wrong write.
 *
 * Each claim's leases live in a small map of their own, kept in a fixed ring of the latest claims, rather than
 * in one long-lived map: a long-lived table ends up in V8's old space, and its discarded versions would keep
 * every lease they ever held alive through young-generation collections (the "outbox claim/settle only" loop of
 * `pnpm bench memory` peaked at 157 MB with one map, against 128 MB without a lease book).
 */
export class LeaseBook {
  readonly #claims: (Map<string, Lease> | undefined)[];
  #next = 0;

  /** @param claims - claims remembered at most @default 16 */
  constructor(claims = DEFAULT_CLAIMS) {
    this.#claims = new Array<Map<string, Lease> | undefined>(Math.max(1, claims));
  }

  /** Note the leases of one claim (replacing older notes of the same entries). */
  rememberClaim(leases: readonly Lease[]): void {
    if (leases.length === 0) return;
    const claim = new Map<string, Lease>();
    for (const lease of leases) {
      this.#forget(lease.id);
      claim.set(lease.id, lease);
    }
    this.#claims[this.#next] = claim;
    this.#next = (this.#next + 1) % this.#claims.length;
  }

  /** Remove and return the lease of `id` taken by `owner`, if this connection holds one. */
  take(id: string, owner: string): Lease | undefined {
    const lease = this.#forget(id);
    return lease?.owner === owner ? lease : undefined;
  }

  /** Leases noted and not yet taken. */
  get size(): number {
    let size = 0;
    for (const claim of this.#claims) size += claim?.size ?? 0;
    return size;
  }

  /** Forget everything (the connection is closing). */
  clear(): void {
    this.#claims.fill(undefined);
  }

  #forget(id: string): Lease | undefined {
    const count = this.#claims.length;
    // Newest claims first: a settle usually answers one of the last two.
    for (let step = 1; step <= count; step++) {
      const slot = (this.#next - step + count) % count;
      const claim = this.#claims[slot];
      const lease = claim?.get(id);
      if (lease === undefined) continue;
      claim!.delete(id);
      if (claim!.size === 0) this.#claims[slot] = undefined;
      return lease;
    }
    return undefined;
  }
}
