import { describeThrown } from './describe-thrown.js';
import { readHubSpotErrorBody } from './hubspot-error-body.js';
import { interpretFailure } from './interpret-failure.js';
import { answerTiming, type InterpretOptions } from './interpret-options.js';
import { interpretRefusal } from './interpret-refusal.js';
import { interpretSuccess } from './interpret-success.js';
import { interpretation, unknown } from './outcomes.js';
import type { HttpAnswer, Interpretation, InterpretContext, SentEvent } from './types.js';

/** What {@link interpretAnswer} needs besides the batch and the answer. */
export interface InterpretAnswerInput {
  /** Optional facts such as the current time and the size of the request sent (read only for a 413). */
  readonly context?: InterpretContext | undefined;
  /** Delay defaults. */
  readonly options?: InterpretOptions | undefined;
  /**
   * The API accepts none of a batch it refuses, and its error bodies name the events (2026-03): a single-event
   * 400 is dead-lettered with the detail messages of `errors[]` (HubSpot's reason for that event) instead of the
   * batch summary, and a batch 409 whose `context` names ids marks those delivered and isolates only the rest.
   * @default false
   */
  readonly allOrNothing?: boolean | undefined;
}

/**
 * Interpret one answer to a batch of timeline events, as the answer table in DESIGN.md says. Both dialects
 * share it: HubSpot's v3 and 2026-03 APIs differ in request shape, not in what their statuses mean for us.
 * An event is `delivered` only on evidence — its id in the `results` of HubSpot's batch body, or an "already
 * exists" verdict for it; an answer that proves neither that HubSpot has an event nor that it refused it is
 * `unknown`. Pure and total: never throws; an answer it cannot read is `unknown`, an attempt.
 *
 * @param sent - The events sent, in order.
 * @param answer - What came back.
 * @param input - Context (the time, the request size for a 413) and delay defaults.
 * @returns One outcome per event sent, in order, plus any global signal and the rate-limit headers.
 */
export function interpretAnswer(
  sent: readonly SentEvent[],
  answer: HttpAnswer,
  input: InterpretAnswerInput,
): Interpretation {
  try {
    if (answer.kind === 'failure') return interpretFailure(sent, answer);
    const timing = answerTiming(answer.headers, input.context, input.options);
    const { status, body } = answer;
    if (status >= 200 && status <= 299) {
      return interpretation(interpretSuccess(sent, status, body, timing), undefined, timing.rateLimit);
    }
    return interpretRefusal(sent, {
      status,
      body,
      error: readHubSpotErrorBody(body),
      timing,
      context: input.context,
      allOrNothing: input.allOrNothing === true,
    });
  } catch (error) {
    // Defence in depth: a bug here must cost an attempt, never an event.
    const reason = `could not interpret the answer: ${describeThrown(error)}`;
    return { outcomes: sent.map((event) => unknown(event.id, { countsAsAttempt: true, reason })) };
  }
}
