import type { StoredEvent } from './stored-event.js';

/** A stored event as the store keeps it: its account is always known. */
export type AccountEvent = StoredEvent & {
  /** The id of the account (portal) it was stored in. */
  readonly account: string;
};

/**
 * Stored events by account, template and id, in storage order. Events are immutable once stored, except by
 * `put()`. Accounts (portals) are independent: the same template and id in two accounts are two events.
 */
export class EventStore {
  readonly #byKey = new Map<string, AccountEvent>();
  #list: AccountEvent[] = [];

  /** The key of an event: its account, template and id (ids are unique per template and account). */
  static key(account: string, eventTemplateId: string, id: string): string {
    return `${account}\u0000${eventTemplateId}\u0000${id}`;
  }

  /** Whether an event is stored under `key` (see {@link EventStore.key}). */
  has(key: string): boolean {
    return this.#byKey.has(key);
  }

  /** The event stored in this account for this template and id, if any. */
  get(account: string, eventTemplateId: string, id: string): AccountEvent | undefined {
    return this.#byKey.get(EventStore.key(account, eventTemplateId, id));
  }

  /** Stores an event whose key is not yet stored. */
  add(event: AccountEvent): void {
    this.#byKey.set(EventStore.key(event.account, event.eventTemplateId, event.id), event);
    this.#list.push(event);
  }

  /**
   * Stores an event, overwriting (in its place in storage order) one already stored under its key.
   * @returns true when the event is new, false when it overwrote one.
   */
  put(event: AccountEvent): boolean {
    const key = EventStore.key(event.account, event.eventTemplateId, event.id);
    const old = this.#byKey.get(key);
    this.#byKey.set(key, event);
    if (old === undefined) {
      this.#list.push(event);
      return true;
    }
    // Only 'last-wins' overwrites, and rarely: a linear search keeps add(), the hot path, as small as it is.
    this.#list[this.#list.indexOf(old)] = event;
    return false;
  }

  /** How many events are stored, in every account. */
  get size(): number {
    return this.#list.length;
  }

  /** The stored events, oldest first (a copy), of one account or of all. */
  list(account?: string): AccountEvent[] {
    return account === undefined ? this.#list.slice() : this.#list.filter((e) => e.account === account);
  }

  /** Forgets every event. */
  clear(): void {
    this.#byKey.clear();
    this.#list = [];
  }
}

/** The v3 `TimelineEventResponse` echo of a stored event. */
export function toEventResponse(event: StoredEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: event.id,
    eventTemplateId: event.eventTemplateId,
    objectType: event.objectType,
    tokens: event.tokens,
    timestamp: event.timestamp,
  };
  if (event.objectId !== undefined) out.objectId = event.objectId;
  if (event.email !== undefined) out.email = event.email;
  if (event.utk !== undefined) out.utk = event.utk;
  if (event.domain !== undefined) out.domain = event.domain;
  if (event.customObjectTypeId !== undefined) out.customObjectTypeId = event.customObjectTypeId;
  if (event.extraData !== undefined) out.extraData = event.extraData;
  if (event.timelineIFrame !== undefined) out.timelineIFrame = event.timelineIFrame;
  return out;
}
