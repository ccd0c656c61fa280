import type { Logger } from '@hubline/core';
import type { SyncEngine } from '@hubline/sync';

/**
 * Log the engine's state each time it changes (`idle`, `sending`, `offline`, `rate-limited`, `unauthorized`, …,
 * `stopped`) with the engine's reason, and each event HubSpot refused for good, by id and HubSpot's category
 * (the event's content and HubSpot's words about it stay in `outbox.history(id)`). The streams complete when
 * the engine stops, and so does the logging.
 *
 * @param sync - the engine
 * @param logger - where to log
 */
export function logEngine(sync: SyncEngine, logger: Logger): void {
  let last: string | undefined;
  sync.status$.subscribe(({ state, reason }) => {
    if (state === last) return;
    last = state;
    logger.info('delivery status', { state, ...(reason === undefined ? {} : { reason }) });
  });
  sync.outcomes$.subscribe((outcome) => {
    if (outcome.type !== 'dead') return;
    const { id, category, status } = outcome;
    logger.warn('event refused by HubSpot for good', {
      id,
      category,
      ...(status === undefined ? {} : { status }),
    });
  });
}
