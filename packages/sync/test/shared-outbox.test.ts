import { v3Dialect } from '@hubline/core';
import { defaultAccessToken, startEmulator } from '@hubline/emulator';
import { openOutbox } from '@hubline/outbox';
import { expect, it } from 'vitest';
import type { Transport } from '../src/contracts.js';
import { createSyncEngine } from '../src/engine/create-sync-engine.js';
import { createNodeHttpTransport } from '../src/transport/create-node-http-transport.js';
import { startChildEngine } from './support/child-engine.js';
import { openTempOutbox, storedById, until, visit } from './support/integration.js';

const TUNING = { batchSize: 20, maxInFlight: 2, requestTimeoutMs: 2000, rateLimit: false } as const;

it('two engines and two processes draining one outbox file deliver exactly once, never the same id in two requests at once', {
  timeout: 60_000,
}, async () => {
  const emulator = await startEmulator({
    faults: { latencyMs: 15, jitterMs: 15 },
    limits: { rateLimit: 100_000 },
  });
  const temp = openTempOutbox();
  const second = openOutbox({ path: temp.path });
  const children: ReturnType<typeof startChildEngine>[] = [];
  try {
    const ids = temp.outbox.recordMany(Array.from({ length: 1500 }, (_, n) => visit(n)));

    // Both in-process engines send through one wrapper that notices an id going out while already in flight.
    const inFlight = new Set<string>();
    const overlaps: string[] = [];
    const send = createNodeHttpTransport();
    const watched: Transport = async (request) => {
      const sent = (JSON.parse(request.body ?? '{"inputs":[]}') as { inputs: { id: string }[] }).inputs.map(
        (input) => input.id,
      );
      for (const id of sent) {
        if (inFlight.has(id)) overlaps.push(id);
        inFlight.add(id);
      }
      try {
        return await send(request);
      } finally {
        for (const id of sent) inFlight.delete(id);
      }
    };
    const engines = [temp.outbox, second].map((outbox, index) =>
      createSyncEngine({
        outbox,
        accessToken: defaultAccessToken,
        baseUrl: emulator.url,
        dialect: v3Dialect,
        transport: watched,
        owner: `in-process-${index}`,
        ...TUNING,
      }),
    );
    for (const index of [0, 1]) {
      children.push(
        startChildEngine({
          path: temp.path,
          baseUrl: emulator.url,
          dialect: 'v3',
          owner: `process-${index}`,
          accessToken: defaultAccessToken,
          engine: TUNING,
        }),
      );
    }
    await Promise.all(children.map((child) => child.until((lines) => lines.includes('ready'))));
    for (const engine of engines) engine.start();

    await until(() => temp.outbox.stats().delivered === ids.length, 45_000, 'every event delivered');
    await Promise.all(engines.map((engine) => engine.stop()));
    await Promise.all(children.map((child) => child.stop()));

    expect(overlaps).toEqual([]);
    // No faults, no timeouts: any re-sent id would be a double send by two holders.
    expect(emulator.counters().duplicateIdsSeen).toBe(0);
    const stored = storedById(emulator);
    expect(ids.filter((id) => stored.get(id)?.length !== 1)).toEqual([]);
    // The work was really shared: each child delivered some of it.
    for (const child of children) {
      expect(child.lines.some((line) => line.startsWith('outcome delivered'))).toBe(true);
    }
  } finally {
    await Promise.all(children.map((child) => child.kill()));
    second.close();
    temp.dispose();
    await emulator.stop();
  }
});
