import { interpretation, retry, unknown } from './outcomes.js';
import type { HttpAnswer, Interpretation, SentEvent } from './types.js';

/**
 * A request that got no HTTP answer. A timeout, a reset or a body cut off at the size cap may come after HubSpot
 * stored the events: `unknown`, an attempt, re-sent with the same ids. No connection at all, or the engine's own
 * abort, means HubSpot did not take them: `retry`, no attempt, and `offline` also pauses everyone on the signal.
 *
 * @param sent - The events sent, in order.
 * @param answer - The transport failure.
 */
export function interpretFailure(
  sent: readonly SentEvent[],
  answer: Extract<HttpAnswer, { kind: 'failure' }>,
): Interpretation {
  const reason = `${answer.failure}: ${answer.message}`;
  switch (answer.failure) {
    case 'offline':
      return interpretation(
        sent.map((event) => retry(event.id, { countsAsAttempt: false, reason })),
        { type: 'offline', message: answer.message },
        undefined,
      );
    case 'aborted':
      return interpretation(
        sent.map((event) => retry(event.id, { countsAsAttempt: false, reason })),
        undefined,
        undefined,
      );
    default:
      // timeout, reset, body-too-large, and any kind a newer transport reports: HubSpot may have the events.
      return interpretation(
        sent.map((event) => unknown(event.id, { countsAsAttempt: true, reason })),
        undefined,
        undefined,
      );
  }
}
