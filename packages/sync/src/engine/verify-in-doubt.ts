import { MAX_ATTEMPTS_CATEGORY, type ReadBackVerdict } from '@hubline/core';
import {
  type ClaimedEntry,
  MAX_DELAY_MS,
  maxAttemptsMessage,
  type ReleaseReason,
  type Settlement,
} from '@hubline/core/store';
import type { RateGrant } from '../contracts.js';
import type { BatchContext } from './send-batch.js';
import { releasesOf, type SettlementPolicy } from './settlement.js';

/** What verifying needs besides the engine. */
export interface VerifyOptions {
  /** The rate slot for the next request; `undefined` when the engine is stopping. */
  grant(): Promise<RateGrant | undefined>;
  /** The attempt budget and backoff schedule: how long until an entry is looked at again. */
  readonly policy: SettlementPolicy;
  /** When the page's lease ends by the engine's clock. */
  readonly leaseEndsAt: number;
}

/** Why reading back stopped early: the release reason and the history's words. */
type Interrupted = { readonly reason: ReleaseReason; readonly detail: string };

/**
 * Reads back, before sending, the entries that used their last attempt while HubSpot may have them: one is
 * delivered when HubSpot has it, and given up (`MAX_ATTEMPTS`) only when HubSpot says it does not and no request
 * of it can still land (see `Confirmations`); otherwise it waits for another look without using an attempt. Any
 * other entry in doubt is simply sent again: a re-send costs one request for the whole page and its answer
 * ("created" or "already exists") is as sure as a read-back. Only dialects with a read-back (v3); without one
 * (2026-03) a re-send's "already exists" is the evidence.
 *
 * @param context - the engine around the page
 * @param entries - the claimed page
 * @param options - rate slots, the attempt policy and the lease's end
 * @returns the entries still to send, in order; `undefined` when the engine paused or stopped meanwhile and
 *   everything not settled was given back
 */
export async function verifyInDoubt(
  context: BatchContext,
  entries: readonly ClaimedEntry[],
  options: VerifyOptions,
): Promise<ClaimedEntry[] | undefined> {
  const { dialect, maxAttempts } = context.options;
  if (dialect.readBack === undefined || dialect.interpretReadBack === undefined) return [...entries];
  const check = entries.filter((entry) => entry.inDoubt && entry.attempts >= maxAttempts);
  if (check.length === 0) return [...entries];

  const settled = new Set<string>();
  for (const entry of check) {
    const interrupted = await readBackOne(context, entry, options);
    if (interrupted !== undefined) {
      const held = entries.filter((held) => !settled.has(held.id));
      await context.report.release(releasesOf(held, interrupted.reason, interrupted.detail));
      return undefined;
    }
    settled.add(entry.id);
  }
  return entries.filter((entry) => !settled.has(entry.id));
}

/** Reads one entry back and settles it by the answer; what stopped it when it could not. */
async function readBackOne(
  context: BatchContext,
  entry: ClaimedEntry,
  options: VerifyOptions,
): Promise<Interrupted | undefined> {
  const holdBack = context.holdBack();
  if (holdBack !== undefined) return { reason: holdBack, detail: `engine ${holdBack} before reading back` };
  if (context.now() + context.options.requestTimeoutMs > options.leaseEndsAt) {
    return { reason: 'not-sent', detail: 'lease about to expire before reading back' };
  }
  const grant = await options.grant();
  if (grant === undefined) {
    return { reason: 'stopping', detail: 'engine stopped while waiting for the rate budget' };
  }
  const result = await context.exchange.readBack(entry, grant);
  if (result === undefined)
    return { reason: context.holdBack() ?? 'paused', detail: 'engine stopped or paused' };
  if ('noToken' in result) {
    context.onTokenTrouble(result.noToken);
    return { reason: 'paused', detail: `${result.noToken.reason}; not read back` };
  }
  const { answer, interpretation } = result;
  if (answer.kind === 'failure' && answer.failure === 'aborted') {
    return { reason: 'stopping', detail: 'read-back aborted (engine stopping)' };
  }
  const signal = interpretation.signal;
  if (signal !== undefined && signal.type !== 'payload-too-large') {
    context.onSignal(signal);
    return { reason: 'paused', detail: `${signal.type}: not read back` };
  }
  await context.report.settle(
    [afterReadBack(context, entry, interpretation.verdict, options.policy)],
    [entry],
  );
  return undefined;
}

/**
 * What a read-back decides for an entry that used its last attempt: delivered when HubSpot has it; a dead letter
 * when HubSpot says it does not and no request of it can still land; otherwise another look later, without an
 * attempt — with backoff while "not found" may mean "not yet", and at the horizon at the latest.
 */
function afterReadBack(
  context: BatchContext,
  entry: ClaimedEntry,
  verdict: ReadBackVerdict,
  policy: SettlementPolicy,
): Settlement {
  const { confirmations } = context;
  const horizon = confirmations.horizonOf(entry.id);
  if (verdict.type === 'found') {
    confirmations.forget(entry.id);
    return { id: entry.id, type: 'delivered', alreadyExisted: true, evidence: 'read-back' };
  }
  if (verdict.type === 'unknown') {
    return lookAgain(
      entry,
      `attempts used up and HubSpot's answer is still unknown; read back: ${verdict.reason}`,
      policy.backoff(entry.attempts - 1),
    );
  }
  const left = horizon - context.now();
  if (left > 0) {
    // A request of it may still land (HubSpot accepted it, or stopped answering): not there yet is not "never".
    const wait = Math.min(policy.backoff(confirmations.notYet(entry.id) - 1), left);
    return lookAgain(
      entry,
      `attempts used up; HubSpot does not have it yet (${verdict.reason}), but a request of it may still land ` +
        `within ${Math.ceil(left / 1000)} s: confirming again`,
      wait,
    );
  }
  confirmations.forget(entry.id);
  return {
    id: entry.id,
    type: 'dead',
    category: MAX_ATTEMPTS_CATEGORY,
    message: maxAttemptsMessage(entry.attempts, `read back, HubSpot does not have it: ${verdict.reason}`),
    status: 404,
  };
}

/** Another read-back after `delayMs`, no attempt used; the entry stays in doubt. */
function lookAgain(entry: ClaimedEntry, reason: string, delayMs: number): Settlement {
  return {
    id: entry.id,
    type: 'failed',
    reason,
    countsAsAttempt: false,
    outcomeUnknown: true,
    delayMs: Math.min(MAX_DELAY_MS, Math.max(0, Math.round(delayMs))),
  };
}
