import type { TimelineEvent } from '@hubline/core';
import type { ClaimedEntry } from '../types.js';

/**
 * A claimed entry around the event's stored JSON. `event` is parsed on first read and kept: an engine that
 * builds its request body from `json` never pays for the parse. The getter is an own enumerable property, so
 * spreading or comparing the entry still sees `event`.
 *
 * @param id - the entry's id
 * @param json - the normalised event's stored JSON
 * @param attempts - attempts already used
 * @param bytes - the event's serialised size
 * @param recordedAt - record time, epoch ms
 * @param leaseUntil - end of the lease just taken, epoch ms
 */
export function createClaimedEntry(
  id: string,
  json: string,
  attempts: number,
  bytes: number,
  recordedAt: number,
  leaseUntil: number,
): ClaimedEntry {
  let event: TimelineEvent | undefined;
  return {
    id,
    json,
    attempts,
    bytes,
    recordedAt,
    leaseUntil,
    get event(): TimelineEvent {
      event ??= JSON.parse(json) as TimelineEvent;
      return event;
    },
  };
}
