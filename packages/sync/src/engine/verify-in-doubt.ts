import { MAX_ATTEMPTS_CATEGORY, type ReadBackVerdict } from '@hubline/core';
import { type ClaimedEntry, maxAttemptsMessage, type Settlement } from '@hubline/core/store';
import type { RateGrant } from '../contracts.js';
import type { BatchContext } from './send-batch.js';
import { releasesOf, type SettlementPolicy } from './settlement.js';

/** What verifying needs besides the engine. */
export interface VerifyOptions {
  /** The rate slot for the next request; `undefined` when the engine is stopping. */
  grant(): Promise<RateGrant | undefined>;
  readonly policy: SettlementPolicy;
  /** When the page's lease ends by the engine's clock. */
  readonly leaseEndsAt: number;
}

/**
 * Reads back, before sending, the entries that used their last attempt while HubSpot may have them: one is given
 * up (`MAX_ATTEMPTS`) only when HubSpot says it does not have it, delivered when it does, and otherwise waits
 * for another look without using an attempt. Any other entry in doubt is simply sent again: a re-send costs one
 * request for the whole page and its answer ("created" or "already exists") is as sure as a read-back. Only
 * dialects with a read-back (v3); without one (2026-03) a re-send's "already exists" is the evidence.
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
  const exhausted = (entry: ClaimedEntry): boolean => entry.attempts >= maxAttempts;
  const check = entries.filter((entry) => entry.inDoubt && exhausted(entry));
  if (check.length === 0) return [...entries];

  const settled = new Set<string>();
  const giveBack = async (reason: 'paused' | 'stopping' | 'not-sent', detail: string): Promise<undefined> => {
    const held = entries.filter((entry) => !settled.has(entry.id));
    await context.report.release(releasesOf(held, reason, detail));
    return undefined;
  };
  for (const entry of check) {
    const holdBack = context.holdBack();
    if (holdBack !== undefined) return giveBack(holdBack, `engine ${holdBack} before reading back`);
    if (context.now() + context.options.requestTimeoutMs > options.leaseEndsAt) {
      return giveBack('not-sent', 'lease about to expire before reading back');
    }
    const grant = await options.grant();
    if (grant === undefined) return giveBack('stopping', 'engine stopped while waiting for the rate budget');
    const result = await context.exchange.readBack(entry, grant);
    if (result === undefined) return giveBack(context.holdBack() ?? 'paused', 'engine stopped or paused');
    if ('noToken' in result) {
      context.onTokenTrouble(result.noToken);
      return giveBack('paused', `${result.noToken.reason}; not read back`);
    }
    const { answer, interpretation } = result;
    if (answer.kind === 'failure' && answer.failure === 'aborted') {
      return giveBack('stopping', 'read-back aborted (engine stopping)');
    }
    const signal = interpretation.signal;
    if (signal !== undefined && signal.type !== 'payload-too-large') {
      context.onSignal(signal);
      return giveBack('paused', `${signal.type}: not read back`);
    }
    await context.report.settle([afterReadBack(entry, interpretation.verdict, options.policy)], [entry]);
    settled.add(entry.id);
  }
  return entries.filter((entry) => !settled.has(entry.id));
}

/**
 * What a read-back decides for an entry that used its last attempt: delivered when HubSpot has it, a dead letter
 * when HubSpot says it does not, and another wait (no attempt) when the answer proves nothing.
 */
function afterReadBack(entry: ClaimedEntry, verdict: ReadBackVerdict, policy: SettlementPolicy): Settlement {
  if (verdict.type === 'found') {
    return { id: entry.id, type: 'delivered', alreadyExisted: true, evidence: 'read-back' };
  }
  if (verdict.type === 'absent') {
    return {
      id: entry.id,
      type: 'dead',
      category: MAX_ATTEMPTS_CATEGORY,
      message: maxAttemptsMessage(entry.attempts, `read back, HubSpot does not have it: ${verdict.reason}`),
      status: 404,
    };
  }
  return {
    id: entry.id,
    type: 'failed',
    reason: `attempts used up and HubSpot's answer is still unknown; read back: ${verdict.reason}`,
    countsAsAttempt: false,
    outcomeUnknown: true,
    delayMs: Math.round(policy.backoff(entry.attempts - 1)),
  };
}
