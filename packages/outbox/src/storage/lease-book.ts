import type { EntryState } from '@hubline/core';

/** What one connection knows of an entry it leased: enough to settle it without reading the row again. */
export interface Lease {
  readonly id: string;
  readonly rk: number;
  readonly owner: string;
  readonly bytes: number;
  /** The entry's version (log length) right after the claim. */
  readonly version: number;
  /** The entry's state right after the claim. */
  readonly state: EntryState;
}

/** More leases than any engine holds at once; past it the book starts afresh (it is only a shortcut). */
const DEFAULT_CAPACITY = 50_000;

/**
 * The leases this connection took and has not settled yet, by entry id. Settling trusts an entry here only
 * if the row still has the same id and version (an UPDATE guarded on both): anything else that touched the
 * row since the claim — another process, an expired lease, an eviction — bumped its version, and the settle
 * falls back to reading the row. So a stale or missing lease costs a read, never a wrong write.
 */
export class LeaseBook {
  readonly #leases = new Map<string, Lease>();
  readonly #capacity: number;

  /** @param capacity - leases kept at most @default 50000 */
  constructor(capacity = DEFAULT_CAPACITY) {
    this.#capacity = capacity;
  }

  /** Note a lease just taken (replacing any older one of the same entry). */
  remember(lease: Lease): void {
    if (this.#leases.size >= this.#capacity && !this.#leases.has(lease.id)) this.#leases.clear();
    this.#leases.set(lease.id, lease);
  }

  /** Remove and return the lease of `id` taken by `owner`, if this connection holds one. */
  take(id: string, owner: string): Lease | undefined {
    const lease = this.#leases.get(id);
    if (lease === undefined) return undefined;
    this.#leases.delete(id);
    return lease.owner === owner ? lease : undefined;
  }

  /** Leases noted and not yet taken. */
  get size(): number {
    return this.#leases.size;
  }

  /** Forget everything (the connection is closing). */
  clear(): void {
    this.#leases.clear();
  }
}
