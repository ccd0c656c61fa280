import { DeliveryError, HublineError } from '@hubline/core';
import type { MaybePromise, StoredEntry } from '@hubline/core/store';

/** Looks an entry up in the store. */
export type EntryLookup = (id: string) => MaybePromise<StoredEntry | undefined>;

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/** The promises handed out by `whenDelivered`, keyed by event id. */
export interface DeliveryRegistry {
  /** A promise for `id`'s delivery, answered at once when the entry already settled for good. */
  wait(id: string, lookup: EntryLookup): Promise<void>;
  /** This engine delivered `id`. */
  delivered(id: string): void;
  /** This engine dead-lettered `id`. */
  dead(id: string, category: string, message: string, status?: number): void;
  /** Look again at every awaited entry (another engine or process may have settled it). */
  recheck(lookup: EntryLookup): Promise<void>;
  /** Reject every waiter, and from now on every wait for an unsettled entry, with `error` (the engine stopped). */
  close(error: Error): void;
  /** How many ids are awaited. */
  readonly size: number;
}

/** Create an empty {@link DeliveryRegistry}. */
export function createDeliveryRegistry(): DeliveryRegistry {
  const waiters = new Map<string, Waiter[]>();
  let closedWith: Error | undefined;

  const answer = (id: string, settle: (waiter: Waiter) => void): void => {
    const list = waiters.get(id);
    if (list === undefined) return;
    waiters.delete(id);
    for (const waiter of list) settle(waiter);
  };

  /** The settled answer an entry already has, or `undefined` while it is still on its way. */
  const verdictOf = (id: string, entry: StoredEntry | undefined): { error?: Error } | undefined => {
    if (entry === undefined) {
      return { error: new HublineError('NOT_FOUND', `No event with id ${id} in the outbox`) };
    }
    if (entry.status === 'delivered') return {};
    if (entry.status === 'dead') return { error: deadLettered(id, entry.lastError ?? 'dead-lettered') };
    if (entry.status === 'evicted') {
      return {
        error: new HublineError('NOT_FOUND', `Event ${id} was evicted from the outbox before delivery`),
      };
    }
    return undefined;
  };

  return {
    async wait(id, lookup) {
      const verdict = verdictOf(id, await lookup(id));
      if (verdict !== undefined) return verdict.error ? Promise.reject(verdict.error) : Promise.resolve();
      if (closedWith !== undefined) return Promise.reject(closedWith);
      return new Promise<void>((resolve, reject) => {
        const list = waiters.get(id) ?? [];
        list.push({ resolve, reject });
        waiters.set(id, list);
      });
    },
    delivered(id) {
      answer(id, (waiter) => waiter.resolve());
    },
    dead(id, category, message, status) {
      answer(id, (waiter) => waiter.reject(deadLettered(id, message, category, status)));
    },
    async recheck(lookup) {
      for (const id of [...waiters.keys()]) {
        const verdict = verdictOf(id, await lookup(id));
        if (verdict === undefined) continue;
        const { error } = verdict;
        answer(id, (waiter) => (error ? waiter.reject(error) : waiter.resolve()));
      }
    },
    close(error) {
      closedWith = error;
      for (const id of [...waiters.keys()]) answer(id, (waiter) => waiter.reject(error));
    },
    get size() {
      return waiters.size;
    },
  };
}

function deadLettered(id: string, message: string, category?: string, status?: number): DeliveryError {
  return new DeliveryError('DEAD_LETTERED', `Event ${id} was dead-lettered: ${message}`, {
    ...(category === undefined ? {} : { category }),
    ...(status === undefined ? {} : { status }),
  });
}
