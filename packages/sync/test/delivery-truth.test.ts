import { type TimelineEvent, v3Dialect } from '@hubline/core';
import { defaultAccessToken, startEmulator } from '@hubline/emulator';
import { expect, it, onTestFinished } from 'vitest';
import { createNodeHttpTransport } from '../src/transport/create-node-http-transport.js';
import { deliveryTruthViolations } from './support/delivery-truth.js';
import { openTempOutbox, visit } from './support/integration.js';

it('the hostile suite’s judge catches every kind of lie an outbox could tell about a run', async () => {
  const emulator = await startEmulator();
  const temp = openTempOutbox();
  onTestFinished(async () => {
    await emulator.stop();
    temp.dispose();
  });
  const { outbox } = temp;
  const [neverSent, sentTwice, storedPending, guessedDead, honest] = outbox.recordMany(
    [1, 2, 3, 4, 5].map((n) => visit(n)),
  ) as [string, string, string, string, string];
  // What HubSpot really got: three of them, and one id a second time under another template (a copy).
  const send = createNodeHttpTransport();
  const post = (events: readonly TimelineEvent[]) =>
    send({
      ...v3Dialect.encode(events),
      baseUrl: emulator.url,
      method: 'POST',
      accessToken: defaultAccessToken,
      timeoutMs: 5000,
    });
  const event = (id: string) => outbox.get(id)!.event;
  await post([event(sentTwice), event(storedPending), event(honest)]);
  const call = { eventTemplateId: '1001236', tokens: { durationSeconds: '5', outcome: 'connected' } };
  await post([{ ...event(sentTwice), ...call }]);

  const claimed = outbox.claim({ limit: 10, leaseMs: 60_000, owner: 'judge' });
  expect(claimed).toHaveLength(5);
  outbox.settle('judge', [
    { id: neverSent, type: 'delivered', alreadyExisted: false, evidence: 'result' },
    { id: sentTwice, type: 'delivered', alreadyExisted: false, evidence: 'result' },
    {
      id: storedPending,
      type: 'failed',
      reason: 'HTTP 503',
      countsAsAttempt: true,
      outcomeUnknown: true,
      delayMs: 0,
    },
    {
      id: guessedDead,
      type: 'failed',
      reason: 'HTTP 503',
      countsAsAttempt: true,
      outcomeUnknown: true,
      delayMs: 0,
    },
    { id: honest, type: 'delivered', alreadyExisted: false, evidence: 'result' },
  ]);
  // An engine that gave up on a guess: a known-looking failure on the last attempt after an unknown one.
  outbox.claim({ limit: 10, leaseMs: 60_000, owner: 'judge' });
  outbox.settle('judge', [
    {
      id: guessedDead,
      type: 'failed',
      reason: 'CANCELED',
      countsAsAttempt: true,
      delayMs: 0,
      maxAttempts: 2,
    },
    {
      id: storedPending,
      type: 'failed',
      reason: 'HTTP 503',
      countsAsAttempt: true,
      outcomeUnknown: true,
      delayMs: 0,
    },
  ]);

  const violations = deliveryTruthViolations(
    emulator,
    outbox,
    [neverSent, sentTwice, storedPending, guessedDead, honest],
    {
      readBack: true,
    },
  );

  expect(violations).toEqual([
    `${neverSent}: delivered but never stored`,
    `${sentTwice}: stored 2 times`,
    `${storedPending}: stored but pending`,
    `${storedPending}: left pending after 2 attempts (HTTP 503)`,
    expect.stringMatching(new RegExp(`^${guessedDead}: MAX_ATTEMPTS without evidence HubSpot lacks it`)),
  ]);
});
