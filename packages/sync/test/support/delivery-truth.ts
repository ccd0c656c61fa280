import { MAX_ATTEMPTS_CATEGORY } from '@hubline/core';
import type { RunningEmulator } from '@hubline/emulator';
import type { Outbox } from '@hubline/outbox';
import type { SyncOutcome } from '../../src/engine/types.js';
import { storedById } from './integration.js';

/** What a run may end with besides "delivered once": the dead letters HubSpot's own answers justify. */
export interface TruthExpectations {
  /** Whether the dialect reads events back (v3): a `MAX_ATTEMPTS` dead letter then needs a 404 read-back. */
  readonly readBack: boolean;
  /** HubSpot categories a dead letter may carry in this run (its definitive refusals). @default none */
  readonly refusals?: readonly string[];
  /** The engine's outcomes, to check the attempts its dead-letter messages state. */
  readonly outcomes?: readonly SyncOutcome[];
}

/**
 * Everything wrong with a finished run, as sentences (empty when the run told the truth):
 * - nothing is left undecided: every id is `delivered` or `dead`;
 * - `delivered` in the outbox ⇔ the emulator stored the event, and then exactly once;
 * - a dead letter is never stored, and carries either one of HubSpot's definitive refusals or `MAX_ATTEMPTS`
 *   given only on evidence: a known refusal used the last attempt, or (with a read-back) HubSpot answered 404;
 * - the attempts a `MAX_ATTEMPTS` message states are the entry's.
 *
 * @param emulator - the emulator the run sent to
 * @param outbox - the run's outbox
 * @param ids - every id the run recorded
 * @param expect - what the run may dead-letter
 */
export function deliveryTruthViolations(
  emulator: RunningEmulator,
  outbox: Outbox,
  ids: readonly string[],
  expect: TruthExpectations,
): string[] {
  const stored = storedById(emulator);
  const readBack404 = new Set(
    emulator
      .requests()
      .filter((request) => request.method === 'GET' && request.status === 404)
      .map((request) => request.path.split('/').at(-1) ?? ''),
  );
  const deadOutcomes = new Map<string, string>();
  for (const outcome of expect.outcomes ?? []) {
    if (outcome.type === 'dead') deadOutcomes.set(outcome.id, outcome.message);
  }
  const problems: string[] = [];
  for (const id of ids) {
    const entry = outbox.get(id);
    const copies = stored.get(id)?.length ?? 0;
    if (entry === undefined) {
      problems.push(`${id}: lost from the outbox`);
      continue;
    }
    if (copies > 1) problems.push(`${id}: stored ${copies} times`);
    if (entry.status === 'delivered' && copies === 0) problems.push(`${id}: delivered but never stored`);
    if (entry.status !== 'delivered' && copies > 0) problems.push(`${id}: stored but ${entry.status}`);
    if (entry.status === 'dead') {
      problems.push(...deadLetterProblems(outbox, id, expect, readBack404.has(id), deadOutcomes.get(id)));
    } else if (entry.status !== 'delivered') {
      problems.push(`${id}: left ${entry.status} after ${entry.attempts} attempts (${entry.lastError})`);
    }
  }
  return problems;
}

/** Why a dead letter is not one HubSpot's answers justify, if it is not. */
function deadLetterProblems(
  outbox: Outbox,
  id: string,
  expect: TruthExpectations,
  readBackSaid404: boolean,
  outcomeMessage: string | undefined,
): string[] {
  const history = outbox.history(id).map((record) => record.event);
  const last = history.at(-1);
  if (last?.type !== 'DeadLettered') return [`${id}: dead, but its history ends with ${last?.type}`];
  if (last.category !== MAX_ATTEMPTS_CATEGORY) {
    return (expect.refusals ?? []).includes(last.category)
      ? []
      : [`${id}: dead-lettered ${last.category} (${last.message}), not a refusal HubSpot gave in this run`];
  }
  const problems: string[] = [];
  const attempts = outbox.get(id)?.attempts;
  for (const [where, message] of [
    ['the outbox', last.message],
    ['outcomes$', outcomeMessage],
  ] as const) {
    if (message === undefined) continue;
    const stated = /gave up after (\d+) attempts?/.exec(message)?.[1];
    if (Number(stated) !== attempts) {
      problems.push(`${id}: ${where} says "${message}" but the entry used ${attempts} attempts`);
    }
  }
  if (expect.readBack && readBackSaid404) return problems;
  const before = history.at(-2);
  const knownRefusal = before?.type === 'Failed' && before.outcomeUnknown !== true && before.countsAsAttempt;
  // A known refusal speaks for its own request only: an earlier attempt HubSpot may have stored still may be there.
  const earlierDoubt = history
    .slice(0, -2)
    .some((event) => event.type === 'Failed' && event.outcomeUnknown === true);
  if (!knownRefusal || earlierDoubt) {
    problems.push(
      `${id}: MAX_ATTEMPTS without evidence HubSpot lacks it (last step ${JSON.stringify(before)}, an earlier outcome unknown: ${earlierDoubt})`,
    );
  }
  return problems;
}
