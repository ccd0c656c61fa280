import type { TimelineEvent } from '../../event/types.js';
import type { ClaimedEntry } from '../../store/types.js';

/**
 * A claimed entry around the event's stored JSON. `event` is a getter on the prototype: parsed on first read and
 * kept, so an engine that builds its request body from `json` never pays for the parse.
 *
 * A class rather than an object literal with its own getter on purpose: V8 allocates the accessor of such a literal
 * in old space, and from there it kept every claimed entry (its JSON, its parsed event) alive through
 * young-generation collections. Each batch then went to old space and piled up until a full collection: the
 * claim/settle loop that `pnpm bench memory` runs as its "outbox claim/settle only" row peaked at 130 MB RSS with
 * the literal and 93.5 MB with this class.
 */
export class StoredClaimedEntry implements ClaimedEntry {
  /** See {@link ClaimedEntry.id}. */
  readonly id: string;
  /** See {@link ClaimedEntry.json}. */
  readonly json: string;
  /** See {@link ClaimedEntry.attempts}. */
  readonly attempts: number;
  /** See {@link ClaimedEntry.bytes}. */
  readonly bytes: number;
  /** See {@link ClaimedEntry.recordedAt}. */
  readonly recordedAt: number;
  /** See {@link ClaimedEntry.leaseUntil}. */
  readonly leaseUntil: number;
  /** See {@link ClaimedEntry.inDoubt}. */
  readonly inDoubt: boolean;
  /** See {@link ClaimedEntry.account}. */
  readonly account: string;
  #event: TimelineEvent | undefined;

  /**
   * Wraps one claimed row.
   *
   * @param id - the entry's id
   * @param json - the normalised event's stored JSON
   * @param attempts - attempts already used
   * @param bytes - the event's serialised size
   * @param recordedAt - record time, epoch ms
   * @param leaseUntil - end of the lease just taken, epoch ms
   * @param inDoubt - whether HubSpot may have the event already
   * @param account - the HubSpot account the entry belongs to
   */
  constructor(
    id: string,
    json: string,
    attempts: number,
    bytes: number,
    recordedAt: number,
    leaseUntil: number,
    inDoubt: boolean,
    account: string,
  ) {
    this.id = id;
    this.json = json;
    this.attempts = attempts;
    this.bytes = bytes;
    this.recordedAt = recordedAt;
    this.leaseUntil = leaseUntil;
    this.inDoubt = inDoubt;
    this.account = account;
  }

  /** See {@link ClaimedEntry.event}: parsed from {@link StoredClaimedEntry.json} on first read. */
  get event(): TimelineEvent {
    this.#event ??= JSON.parse(this.json) as TimelineEvent;
    return this.#event;
  }
}
