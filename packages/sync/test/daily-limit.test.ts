/**
 * HubSpot's DAILY 429 with two engines sharing one outbox file (each on its own connection, pacing on its own, so
 * the file is all they share) and a third engine started on the file during the pause: all of them wait for the
 * reset, `status$` says rate-limited in each, and the events the 429 answered go first once it resets.
 */
import { createV3Dialect, type HttpAnswer } from '@hubline/core';
import { defaultAccessToken, startEmulator } from '@hubline/emulator';
import { openOutbox } from '@hubline/outbox';
import { expect, it, onTestFinished } from 'vitest';
import type { Transport } from '../src/contracts.js';
import type { SyncEngine, SyncStatus } from '../src/engine/types.js';
import { createNodeHttpTransport } from '../src/transport/create-node-http-transport.js';
import {
  fastEngineOptions,
  openTempOutbox,
  startRecording,
  storedById,
  until,
  visit,
} from './support/integration.js';

/** When the daily budget "resets", in this test: the engine's pause after a DAILY 429. */
const DAILY_RESET_MS = 3000;

it('a DAILY 429 pauses every engine sharing the file until the reset, and the answered events go first', {
  timeout: 40_000,
}, async () => {
  const emulator = await startEmulator({ limits: { dailyLimit: 2 } });
  const temp = openTempOutbox();
  const connections = [openOutbox({ path: temp.path }), openOutbox({ path: temp.path })];
  const engines: SyncEngine[] = [];
  onTestFinished(async () => {
    await Promise.all(engines.map((engine) => engine.stop({ timeoutMs: 0 })));
    for (const connection of connections) connection.close();
    await emulator.stop();
    temp.dispose();
  });

  // Every request of every engine, and the first DAILY 429, as the engines saw them.
  const sent: { engine: string; at: number }[] = [];
  let dailyAt: number | undefined;
  const http = createNodeHttpTransport();
  const watched =
    (engine: string): Transport =>
    async (request) => {
      sent.push({ engine, at: Date.now() });
      const answer: HttpAnswer = await http(request);
      if (answer.kind === 'response' && answer.status === 429 && answer.body.includes('DAILY')) {
        dailyAt ??= Date.now();
      }
      return answer;
    };
  const dialect = createV3Dialect({ dailyLimitDelayMs: DAILY_RESET_MS });
  const statuses = new Map<string, SyncStatus[]>();
  const start = (name: string, outbox = temp.outbox): SyncEngine => {
    const { engine } = startRecording(
      fastEngineOptions(emulator, outbox, dialect, {
        // Each engine's own token function: no rate budget is shared inside this process, only the file.
        accessToken: () => defaultAccessToken,
        transport: watched(name),
        owner: name,
        batchDelayMs: 0,
      }),
    );
    const seen: SyncStatus[] = [];
    statuses.set(name, seen);
    engine.status$.subscribe((status) => seen.push(status));
    engines.push(engine);
    return engine;
  };
  const stateOf = (name: string) => statuses.get(name)?.at(-1)?.state;

  const a = start('engine-a');
  const b = start('engine-b', connections[0]);
  // The day's budget: two requests.
  const early = temp.outbox.recordMany([visit(1)]);
  await a.whenDelivered(early[0]!);
  const early2 = temp.outbox.recordMany([visit(2)]);
  await b.whenDelivered(early2[0]!);

  const answered = temp.outbox.recordMany([visit(3), visit(4), visit(5)]);
  await until(() => dailyAt !== undefined, 5000, 'the DAILY 429');
  // The budget resets for HubSpot now; the engines must still wait out their pause, as they cannot know.
  emulator.setLimits({ dailyLimit: null });
  await until(
    () => stateOf('engine-a') === 'rate-limited' && stateOf('engine-b') === 'rate-limited',
    2000,
    'both engines to say rate-limited',
  );
  const newer = temp.outbox.recordMany([visit(6), visit(7)]);
  // An engine started on the file during the pause (a restart) finds the pause kept there.
  start('restarted', connections[1]);
  await until(
    () => stateOf('restarted') === 'rate-limited',
    2000,
    'the restarted engine to say rate-limited',
  );
  for (const name of ['engine-a', 'engine-b', 'restarted']) {
    expect(statuses.get(name)?.at(-1)).toMatchObject({
      state: 'rate-limited',
      reason: expect.stringMatching(/DAILY/),
    });
  }

  const all = [...early, ...early2, ...answered, ...newer];
  await until(
    () => temp.outbox.stats().delivered === all.length,
    DAILY_RESET_MS + 10_000,
    'everything delivered',
  );

  // Nobody sent anything between the 429 and the reset.
  const during = sent.filter(({ at }) => at > dailyAt! + 5 && at < dailyAt! + DAILY_RESET_MS - 100);
  expect(during).toEqual([]);
  expect(emulator.counters().rateLimited).toBe(1);
  // The events the 429 answered were not parked an hour away: they waited for the pause only, and went first.
  for (const id of answered) {
    const turnedAway = temp.outbox
      .history(id)
      .map(({ event }) => event)
      .find((event) => event.type === 'Failed');
    expect(turnedAway).toMatchObject({ status: 429, countsAsAttempt: false });
    expect(turnedAway!.type === 'Failed' && turnedAway!.nextAttemptAt - turnedAway!.at).toBeLessThan(1000);
  }
  const order = emulator.events().map((event) => event.id);
  expect(Math.max(...answered.map((id) => order.indexOf(id)))).toBeLessThan(
    Math.min(...newer.map((id) => order.indexOf(id))),
  );
  const stored = storedById(emulator);
  expect(all.map((id) => stored.get(id)?.length ?? 0)).toEqual(all.map(() => 1));
});
