import { type BatchBody, readBatchBody } from './batch-body.js';
import { attributeError } from './error-attribution.js';
import { type ErrorVerdict, judgeError, outcomeOf } from './error-verdict.js';
import type { AnswerTiming } from './interpret-options.js';
import { delivered, isolate, retry, unknown } from './outcomes.js';
import type { EventOutcome, SentEvent } from './types.js';

/**
 * A 2xx answer (201, 200, 207, or any other). Only HubSpot's batch body is evidence, and its `status` decides how
 * it is read: `COMPLETE` (or absent) per `results` and `errors`; `PENDING` / `PROCESSING` accepted but not
 * confirmed (`unknown`, `accepted`, no attempt, confirmed after the confirm delay; only an "already exists"
 * naming an event proves it); `CANCELED` not carried out (`retry`, an attempt). Any other 2xx — empty, HTML, 204,
 * junk, an error object — is `unknown` for every event, an attempt.
 *
 * @param sent - The events sent, in order.
 * @param status - The HTTP status (2xx).
 * @param body - The raw body.
 * @param timing - `Retry-After`, rate-limit headers and delay defaults.
 */
export function interpretSuccess(
  sent: readonly SentEvent[],
  status: number,
  body: string,
  timing: AnswerTiming,
): EventOutcome[] {
  const sentIds = new Set(sent.map((event) => event.id));
  const reading = readBatchBody(body, sentIds);
  const delayMs = timing.retryAfterMs;
  if (reading.kind === 'not-batch') {
    const reason = `HTTP ${status} with ${reading.why}, not HubSpot's batch response: outcome unknown`;
    return sent.map((event) => unknown(event.id, { countsAsAttempt: true, reason, status, delayMs }));
  }
  const batch = reading.body;
  const findings = readErrors(batch, sentIds, status, timing);
  switch (batch.status) {
    case 'CANCELED': {
      const reason = `HTTP ${status}: HubSpot canceled the batch, so it did not store it`;
      return sent.map((event) => retry(event.id, { countsAsAttempt: true, reason, status, delayMs }));
    }
    case 'PENDING':
    case 'PROCESSING': {
      const reason = `HTTP ${status}: HubSpot accepted the batch but it is ${batch.status}; confirm later`;
      const terms = {
        countsAsAttempt: false,
        reason,
        status,
        delayMs: delayMs ?? timing.options.confirmDelayMs,
      };
      return sent.map((event) =>
        findings.verdicts.get(event.id)?.kind === 'exists'
          ? delivered(event.id, 'already-exists')
          : unknown(event.id, terms, true),
      );
    }
    default:
      return interpretComplete(sent, sentIds, status, batch, findings);
  }
}

/** The errors of a batch body, read once: a verdict per named id, and the errors that name no event. */
interface ErrorFindings {
  /** Per sent id, the verdict of the errors naming it: "already exists", else the first transient, else the first refusal. */
  readonly verdicts: ReadonlyMap<string, ErrorVerdict>;
  /** Verdicts of errors that name no event at all (an error naming only ids we did not send is ignored). */
  readonly unattributed: readonly ErrorVerdict[];
}

const PRIORITY: Record<ErrorVerdict['kind'], number> = { exists: 3, transient: 2, refusal: 1 };

function readErrors(
  batch: BatchBody,
  sentIds: ReadonlySet<string>,
  status: number,
  timing: AnswerTiming,
): ErrorFindings {
  const verdicts = new Map<string, ErrorVerdict>();
  const unattributed: ErrorVerdict[] = [];
  for (const item of batch.errors) {
    const { ids, namesOthers } = attributeError(item, sentIds);
    if (ids.length === 0 && namesOthers) continue;
    const verdict = judgeError(item, ids, status, timing);
    if (ids.length === 0) unattributed.push(verdict);
    for (const id of ids) {
      const before = verdicts.get(id);
      if (before === undefined || PRIORITY[verdict.kind] > PRIORITY[before.kind]) verdicts.set(id, verdict);
    }
  }
  return { verdicts, unattributed };
}

/**
 * A `COMPLETE` batch (or one without `status`): an id in `results` is delivered; an error naming it gives its
 * verdict. An event named nowhere takes the verdict of the one error naming no event when it is the only such
 * event (and, alone in the request, of any "already exists" naming no event); otherwise, in a batch with errors
 * naming no event, it is isolated (re-sent alone to find out), and with none it is `unknown`: the answer does not
 * say whether HubSpot has it.
 */
function interpretComplete(
  sent: readonly SentEvent[],
  sentIds: ReadonlySet<string>,
  status: number,
  batch: BatchBody,
  { verdicts, unattributed }: ErrorFindings,
): EventOutcome[] {
  const unnamed = new Set<string>();
  for (const id of sentIds) {
    if (!batch.resultIds.has(id) && !verdicts.has(id)) unnamed.add(id);
  }
  const lone = sentIds.size === 1;
  let fallback: (id: string) => EventOutcome;
  if (unnamed.size === 1 && unattributed.length === 1) {
    const [only] = unattributed as [ErrorVerdict];
    fallback = (id) => outcomeOf(id, only, status);
  } else if (lone && unattributed.some((verdict) => verdict.kind === 'exists')) {
    fallback = (id) => delivered(id, 'already-exists');
  } else if (unattributed.length > 0 && !lone) {
    const reason = `HTTP ${status}: errors named no event, so this one is re-sent alone to learn its verdict`;
    fallback = (id) => isolate(id, reason, status);
  } else {
    const reason =
      unattributed.length > 0
        ? `HTTP ${status}: ${unattributed.length} errors named no event; outcome unknown`
        : `HTTP ${status} named neither a result nor an error for this event: outcome unknown`;
    fallback = (id) => unknown(id, { countsAsAttempt: true, reason, status });
  }
  return sent.map((event) => {
    if (batch.resultIds.has(event.id)) return delivered(event.id, 'result');
    const verdict = verdicts.get(event.id);
    return verdict === undefined ? fallback(event.id) : outcomeOf(event.id, verdict, status);
  });
}
