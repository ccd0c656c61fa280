import { isHublineError } from '@hubline/core';
import type { DeliveryStore } from '@hubline/core/store';
import { BehaviorSubject, type SchedulerLike } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createEngineHarness } from '../../test/support/engine-harness.js';
import { answer, created, failure } from '../../test/support/fake-transport.js';
import type { StopReport } from './types.js';

describe('createSyncEngine', () => {
  it('delivers every recorded event in batches of batchSize and resolves whenDelivered', async () => {
    const h = createEngineHarness({ batchSize: 10 });
    const ids = h.outbox.seed(25);
    const waits = ids.map((id) => h.engine.whenDelivered(id));
    h.engine.start();
    await h.clock.advance(1000);
    await Promise.all(waits);
    expect(h.fake.requests.map((request) => request.ids.length)).toEqual([10, 10, 5]);
    expect(h.outbox.stats().delivered).toBe(25);
    expect(h.outcomes.filter((outcome) => outcome.type === 'delivered')).toHaveLength(25);
    await h.engine.stop();
  });

  it('sends events recorded while running without waiting for the poll interval', async () => {
    const h = createEngineHarness({ pollIntervalMs: 60_000 });
    h.engine.start();
    await h.clock.advance(10);
    h.outbox.seed(1);
    // batchDelayMs (200) to gather more, then 100 ms on the wire.
    await h.clock.advance(299);
    expect(h.outbox.stats().delivered).toBe(0);
    await h.clock.advance(1);
    expect(h.outbox.stats().delivered).toBe(1);
    await h.engine.stop();
  });

  it('lingers batchDelayMs after a record so events recorded at 20/s share requests instead of one each', async () => {
    const run = async (batchDelayMs: number) => {
      const h = createEngineHarness({ pollIntervalMs: 60_000, batchDelayMs }, 20);
      h.engine.start();
      await h.clock.advance(10);
      for (let n = 0; n < 20; n += 1) {
        h.outbox.seed(1);
        await h.clock.advance(50);
      }
      await h.clock.advance(1000);
      expect(h.outbox.stats().delivered).toBe(20);
      const sizes = h.fake.requests.map((request) => request.ids.length);
      await h.engine.stop();
      return sizes;
    };
    expect(await run(0)).toEqual(Array.from({ length: 20 }, () => 1));
    // One request per 200 ms window: 4 events each (the window opens at a record and closes before the fifth).
    expect(await run(200)).toEqual([4, 4, 4, 4, 4]);
  });

  it('puts the next request on the wire before writing the settlements of the batch just answered', async () => {
    const h = createEngineHarness({ batchSize: 10, pollIntervalMs: 60_000 });
    h.outbox.seed(30);
    const sentBeforeSettle: number[] = [];
    const settle = h.outbox.settle.bind(h.outbox);
    h.outbox.settle = (owner, settlements) => {
      sentBeforeSettle.push(h.fake.requests.length);
      return settle(owner, settlements);
    };
    h.engine.start();
    await h.clock.advance(1000);
    // Request 1 has left when batch 0 is settled, request 2 when batch 1 is; still never two requests at once.
    expect(sentBeforeSettle).toEqual([2, 3, 3]);
    expect(h.fake.maxConcurrent).toBe(1);
    await h.engine.stop();
  });

  it('claims the next page at once after a full one, asking the store what is due only after a partial page', async () => {
    // Unpaced (`rateLimit: false`, the harness's default): a slot always comes at once.
    const h = createEngineHarness({ batchSize: 10, pollIntervalMs: 60_000 });
    h.outbox.seed(35);
    const askedAfterRequest: number[] = [];
    const nextDueIn = h.outbox.nextDueIn.bind(h.outbox);
    h.outbox.nextDueIn = (account) => {
      askedAfterRequest.push(h.fake.requests.length);
      return nextDueIn(account);
    };
    h.engine.start();
    await h.clock.advance(1000);
    expect(h.fake.requests.map((request) => request.ids.length)).toEqual([10, 10, 10, 5]);
    // Before the first request and after the partial fourth page, never between: a full page means more is due.
    expect(askedAfterRequest.filter((requests) => requests >= 1 && requests < 4)).toEqual([]);
    expect(askedAfterRequest).toContain(0);
    expect(h.outbox.stats().delivered).toBe(35);
    await h.engine.stop();
  });

  describe('claims ahead', () => {
    /** Makes every claim take `claimMs` of virtual time, and counts the claims running at once. */
    /** Makes every claim take `claimMs` of virtual time; counts the claims running at once, and entries leased. */
    const slowClaims = (h: ReturnType<typeof createEngineHarness>, claimMs: number) => {
      const seen = { running: 0, most: 0, mostLeased: 0 };
      const port: DeliveryStore = h.outbox;
      const claim = port.claim.bind(port);
      port.claim = async (options) => {
        seen.running += 1;
        seen.most = Math.max(seen.most, seen.running);
        try {
          await new Promise<void>((resolve) => h.clock.scheduler.schedule(() => resolve(), claimMs));
          return await claim(options);
        } finally {
          seen.running -= 1;
          seen.mostLeased = Math.max(seen.mostLeased, h.outbox.stats().inFlight);
        }
      };
      return seen;
    };

    /** Drains `events` in pages of 10 through claims of 150 ms and requests of 100 ms, all within `withinMs`. */
    const drainSlowClaims = async (
      events: number,
      withinMs: number,
      options: Parameters<typeof createEngineHarness>[0] = {},
    ) => {
      const h = createEngineHarness({ batchSize: 10, pollIntervalMs: 60_000, ...options });
      h.outbox.seed(events);
      const seen = slowClaims(h, 150);
      h.engine.start();
      await h.clock.advance(withinMs);
      expect(h.outbox.stats().delivered).toBe(events);
      await h.engine.stop();
      return { h, seen };
    };

    it('runs two claims side by side while full pages keep coming, so a slow claim stops setting the pace', async () => {
      // One claim at a time would send a page every 150 ms: 100 events would take 1,500 ms, not 1,300.
      const { h, seen } = await drainSlowClaims(100, 1300);
      expect(seen.most).toBe(2);
      // At most four pages held: the one settling, the one on the wire and two claimed ahead.
      expect(seen.mostLeased).toBeLessThanOrEqual(40);
      // Still one request on the wire at a time, and every page full.
      expect(h.fake.maxConcurrent).toBe(1);
      expect(h.fake.requests.map((request) => request.ids.length)).toEqual(
        Array.from({ length: 10 }, () => 10),
      );
    });

    it('claims one page ahead when the lease could not outlast the two requests before the second', async () => {
      // requestTimeoutMs is 1000 in the harness: a lease of 2500 ms covers one request ahead and its own, not two.
      const { seen } = await drainSlowClaims(60, 2000, { leaseMs: 2500 });
      expect(seen.most).toBe(1);
    });

    it('claims one page ahead when requests are paced', async () => {
      const { seen } = await drainSlowClaims(60, 2000, { rateLimit: { requests: 100, windowMs: 10_000 } });
      expect(seen.most).toBe(1);
    });

    it('gives the pages claimed ahead back when the engine stops, sending none of them', async () => {
      const h = createEngineHarness({ batchSize: 10, pollIntervalMs: 60_000 }, 300);
      h.outbox.seed(100);
      slowClaims(h, 50);
      h.engine.start();
      // The first request is on the wire, and two more pages are claimed behind it.
      await h.clock.advance(200);
      expect(h.outbox.stats().inFlight).toBe(30);
      const stopped = h.engine.stop();
      await h.clock.advance(1000);
      await stopped;
      expect(h.fake.requests).toHaveLength(1);
      expect(h.outbox.stats()).toMatchObject({ delivered: 10, inFlight: 0, pending: 90 });
    });

    it('gives a page claimed ahead back at once when the claim before it fails', async () => {
      const h = createEngineHarness({ batchSize: 10, pollIntervalMs: 60_000 });
      h.outbox.seed(100);
      slowClaims(h, 50);
      const port: DeliveryStore = h.outbox;
      const claim = port.claim.bind(port);
      let calls = 0;
      port.claim = (options) => {
        calls += 1;
        // The second claim fails and the third, beside it, leases a page; then the store is gone for good.
        if (calls === 3) return claim(options);
        if (calls >= 2) return Promise.reject(new Error('the store went away'));
        return claim(options);
      };
      h.engine.start();
      await h.clock.advance(1000);
      // The third claim's page went back at once instead of waiting out its lease.
      expect(h.outbox.stats()).toMatchObject({ delivered: 10, inFlight: 0, pending: 90 });
      expect(h.fake.requests).toHaveLength(1);
      await h.engine.stop();
    });
  });

  it('asks the store after a full page when requests are paced, so a drained backlog never waits out a window', async () => {
    // Three requests per window: the third full page takes the window's last slot, and nothing is left after it.
    const h = createEngineHarness({
      batchSize: 10,
      pollIntervalMs: 60_000,
      rateLimit: { requests: 3, windowMs: 10_000 },
    });
    h.outbox.seed(30);
    h.engine.start();
    const flushed = h.engine.flush();
    await h.clock.advance(1000);
    expect(h.fake.requests.map((request) => request.ids.length)).toEqual([10, 10, 10]);
    // Done well before the window ends, and not `pacing` after the last request for a slot it had no use for.
    await expect(flushed).resolves.toMatchObject({ delivered: 30 });
    const states = h.statuses.map((status) => status.state);
    expect(states.slice(states.lastIndexOf('sending'))).toEqual(['sending', 'idle']);
    await h.engine.stop();
  });

  it('sends at once, without lingering, when a full batch is recorded', async () => {
    const h = createEngineHarness({ pollIntervalMs: 60_000, batchSize: 10, batchDelayMs: 5000 });
    h.engine.start();
    await h.clock.advance(10);
    h.outbox.seed(3);
    await h.clock.advance(100);
    expect(h.fake.requests).toHaveLength(0);
    h.outbox.seed(7);
    await h.clock.advance(100);
    expect(h.fake.requests.map((request) => request.ids.length)).toEqual([10]);
    await h.engine.stop();
  });

  it('never runs two drain loops at once: requests in flight never exceed maxInFlight', async () => {
    const h = createEngineHarness({ batchSize: 2, pollIntervalMs: 7 });
    h.outbox.seed(40);
    h.engine.start();
    for (let step = 0; step < 20; step += 1) {
      h.outbox.seed(1);
      void h.engine.flush();
      await h.clock.advance(13);
    }
    await h.clock.advance(5000);
    expect(h.fake.maxConcurrent).toBe(1);
    expect(h.outbox.stats().delivered).toBe(60);
    const sent = h.fake.requests.flatMap((request) => request.ids);
    expect(new Set(sent).size).toBe(sent.length);
    await h.engine.stop();
  });

  it('keeps up to maxInFlight requests in flight, never more, and never the same id twice', async () => {
    const h = createEngineHarness({ batchSize: 5, maxInFlight: 3, pollIntervalMs: 11 });
    h.outbox.seed(100);
    h.engine.start();
    for (let step = 0; step < 10; step += 1) {
      void h.engine.flush();
      await h.clock.advance(37);
    }
    await h.clock.advance(5000);
    expect(h.fake.maxConcurrent).toBe(3);
    const sent = h.fake.requests.flatMap((request) => request.ids);
    expect(sent).toHaveLength(100);
    expect(new Set(sent).size).toBe(100);
    await h.engine.stop();
  });

  it('pages from the outbox: no claim takes more than batchSize or maxBatchBytes', async () => {
    const h = createEngineHarness({ batchSize: 50, maxBatchBytes: 1000 });
    h.outbox.seed(30, 300);
    h.engine.start();
    await h.clock.advance(2000);
    expect(Math.max(...h.fake.requests.map((request) => request.ids.length))).toBe(3);
    expect(h.outbox.stats().delivered).toBe(30);
    await h.engine.stop();
  });

  it('flush resolves once nothing due is left, with what happened meanwhile', async () => {
    const h = createEngineHarness({ batchSize: 3 });
    const ids = h.outbox.seed(7);
    h.fake.script = (sent) => (sent.includes(ids[6]!) ? answer(500) : answer(201));
    h.engine.start();
    const report = h.engine.flush();
    await h.clock.advance(1000);
    await expect(report).resolves.toEqual({ delivered: 6, dead: 0, retrying: 1 });
    await h.engine.stop();
  });

  it('flush says how many events another engine still holds when it ends', async () => {
    const h = createEngineHarness({}, 500);
    h.outbox.seed(2);
    const other = h.another({ owner: 'slow' });
    // The other engine leases both events and keeps them on a 500-ms request: nothing is left for this one.
    void other.flush();
    await h.clock.advance(10);
    const report = h.engine.flush();
    await h.clock.advance(10);
    await expect(report).resolves.toEqual({ delivered: 0, dead: 0, retrying: 0, leasedElsewhere: 2 });
    await h.clock.advance(1000);
    expect(h.outbox.stats().delivered).toBe(2);
    await other.stop();
    await h.engine.stop();
  });

  it('flush works without start and sends what is due', async () => {
    const h = createEngineHarness();
    h.outbox.seed(3);
    const report = h.engine.flush();
    await h.clock.advance(500);
    await expect(report).resolves.toMatchObject({ delivered: 3 });
    await h.engine.stop();
  });

  it('whenDelivered resolves at once for an event already delivered and rejects NOT_FOUND for an unknown id', async () => {
    const h = createEngineHarness();
    const [id] = h.outbox.seed(1);
    h.engine.start();
    await h.clock.advance(500);
    await expect(h.engine.whenDelivered(id!)).resolves.toBeUndefined();
    const unknown = await h.engine.whenDelivered('nope').catch((error: unknown) => error);
    expect(isHublineError(unknown, 'NOT_FOUND')).toBe(true);
    await h.engine.stop();
  });

  it('whenDelivered learns of deliveries made by another engine on the same outbox', async () => {
    const h = createEngineHarness({ pollIntervalMs: 1000 });
    const [id] = h.outbox.seed(1);
    const other = h.another({ owner: 'other' });
    h.engine.start();
    const seen = h.engine.whenDelivered(id!);
    // The other engine claims first: flush it before this engine's first pass runs.
    void other.flush();
    await h.clock.advance(3000);
    await expect(seen).resolves.toBeUndefined();
    await other.stop();
    await h.engine.stop();
  });

  it('stop() waits for the request in flight, settles it by its answer, then completes the streams', async () => {
    const h = createEngineHarness({}, 5000);
    const [first, second] = h.outbox.seed(2);
    h.fake.script = (ids) => (ids.length === 2 ? answer(400, '{"whole":"batch"}') : created());
    const waiting = h.engine.whenDelivered(first!).catch((error: unknown) => error);
    let completed = false;
    h.engine.stats$.subscribe({ complete: () => (completed = true) });
    h.engine.start();
    await h.clock.advance(100);
    expect(h.statuses.at(-1)?.state).toBe('sending');

    let report: StopReport | undefined;
    const stopping = h.engine.stop().then((value) => (report = value));
    await h.clock.advance(4000);
    expect(report).toBeUndefined();
    await h.clock.advance(1000);
    await stopping;

    // The 400 for the whole batch asks for a bisection; stopping, the halves are not sent but kept for later.
    expect(h.fake.requests).toHaveLength(1);
    expect(report).toEqual({ timedOut: false });
    expect(h.outbox.get(first!)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(h.outbox.get(second!)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(isHublineError(await waiting, 'ENGINE_STOPPED')).toBe(true);
    expect(h.statuses.at(-1)?.state).toBe('stopped');
    expect(completed).toBe(true);
  });

  it('stop() keeps what the request in flight delivered', async () => {
    const h = createEngineHarness({}, 5000);
    const [id] = h.outbox.seed(1);
    const delivered = h.engine.whenDelivered(id!);
    h.engine.start();
    await h.clock.advance(100);

    const stopping = h.engine.stop();
    await h.clock.advance(5000);

    await expect(stopping).resolves.toEqual({ timedOut: false });
    await expect(delivered).resolves.toBeUndefined();
    expect(h.outbox.get(id!)?.status).toBe('delivered');
  });

  it('stop({ timeoutMs: 0 }) aborts the request in flight, releases its events without using an attempt, and completes the streams', async () => {
    const h = createEngineHarness({}, 5000);
    const [id] = h.outbox.seed(1);
    const waiting = h.engine.whenDelivered(id!).catch((error: unknown) => error);
    let completed = false;
    h.engine.stats$.subscribe({ complete: () => (completed = true) });
    h.engine.start();
    await h.clock.advance(100);
    expect(h.statuses.at(-1)?.state).toBe('sending');
    await expect(h.engine.stop({ timeoutMs: 0 })).resolves.toEqual({ timedOut: true });
    const entry = h.outbox.get(id!);
    expect(entry?.status).toBe('pending');
    expect(entry?.attempts).toBe(0);
    expect(isHublineError(await waiting, 'ENGINE_STOPPED')).toBe(true);
    expect(h.statuses.at(-1)?.state).toBe('stopped');
    expect(completed).toBe(true);
    const late = await h.engine.whenDelivered(id!).catch((error: unknown) => error);
    expect(isHublineError(late, 'ENGINE_STOPPED')).toBe(true);
    await expect(h.engine.flush()).rejects.toMatchObject({ code: 'ENGINE_STOPPED' });
  });

  it('stop({ timeoutMs }) aborts a request that outlasts the deadline, at the deadline', async () => {
    const h = createEngineHarness({}, 5000);
    const [id] = h.outbox.seed(1);
    h.engine.start();
    await h.clock.advance(100);

    let report: StopReport | undefined;
    const stopping = h.engine.stop({ timeoutMs: 1500 }).then((value) => (report = value));
    await h.clock.advance(1499);
    expect(report).toBeUndefined();
    await h.clock.advance(1);
    await stopping;

    expect(report).toEqual({ timedOut: true });
    expect(h.outbox.get(id!)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('stop({ drain: true, timeoutMs }) cuts a long drain short and keeps the rest for later', async () => {
    const h = createEngineHarness({ batchSize: 2 });
    h.outbox.seed(10);
    h.engine.start();

    const stopping = h.engine.stop({ drain: true, timeoutMs: 250 });
    await h.clock.advance(250);

    await expect(stopping).resolves.toEqual({ timedOut: true });
    // Two requests of 100 ms fit before the deadline; the third was aborted and its events released.
    expect(h.outbox.stats()).toMatchObject({ delivered: 4, pending: 6, inFlight: 0 });
    expect(h.fake.requests).toHaveLength(3);
  });

  it('stop() does not wait for an access token still on its way, and sends nothing once it arrives', async () => {
    const h = harnessWithLateToken(30_000);
    const [id] = h.outbox.seed(1);
    h.engine.start();
    await h.clock.advance(100);

    const stopping = h.engine.stop();
    await h.clock.advance(1);

    await expect(stopping).resolves.toEqual({ timedOut: false });
    await h.clock.advance(30_000);
    expect(h.fake.requests).toHaveLength(0);
    expect(h.outbox.get(id!)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('stop({ drain: true, timeoutMs }) is bounded even while the access token is on its way', async () => {
    const h = harnessWithLateToken(30_000);
    const [id] = h.outbox.seed(1);
    h.engine.start();

    const stopping = h.engine.stop({ drain: true, timeoutMs: 1000 });
    await h.clock.advance(1000);

    await expect(stopping).resolves.toEqual({ timedOut: true });
    expect(h.fake.requests).toHaveLength(0);
    expect(h.outbox.get(id!)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('a second stop() with a deadline brings the pending stop’s deadline closer, never further', async () => {
    const h = createEngineHarness({}, 5000);
    const [id] = h.outbox.seed(1);
    h.engine.start();
    await h.clock.advance(100);

    const first = h.engine.stop();
    const second = h.engine.stop({ timeoutMs: 200 });
    const third = h.engine.stop({ timeoutMs: 4000 });
    await h.clock.advance(200);

    expect(second).toBe(first);
    expect(third).toBe(first);
    await expect(first).resolves.toEqual({ timedOut: true });
    expect(h.outbox.get(id!)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('stops at the end of an `await using` scope', async () => {
    const h = createEngineHarness();
    const completed: string[] = [];
    {
      await using engine = h.another({ owner: 'scoped' });
      engine.status$.subscribe({ complete: () => completed.push('status$') });
      engine.start();
      await h.clock.advance(10);
    }
    expect(completed).toEqual(['status$']);
    await h.engine.stop();
  });

  it('start() after stop() does nothing, even while a stopping drain runs', async () => {
    const h = createEngineHarness({ batchSize: 2 }, 5000);
    h.outbox.seed(10);

    let report: StopReport | undefined;
    const stopping = h.engine.stop({ drain: true, timeoutMs: 150 }).then((value) => (report = value));
    await h.clock.advance(50);
    expect(h.fake.requests).toHaveLength(1);
    h.engine.start();
    await h.clock.advance(100);
    await stopping;

    // The deadline aborted the drain's request at 150 ms; a start() in between changed nothing.
    expect(report).toEqual({ timedOut: true });
    expect(h.outbox.stats()).toMatchObject({ delivered: 0, pending: 10, inFlight: 0 });
    await h.clock.advance(10_000);
    expect(h.fake.requests).toHaveLength(1);
  });

  it('stop() refuses a deadline that is not a non-negative number, naming it', async () => {
    const h = createEngineHarness();

    const refused = await h.engine.stop({ timeoutMs: -1 }).catch((error: unknown) => error);

    expect(isHublineError(refused, 'VALIDATION_FAILED')).toBe(true);
    expect((refused as Error).message).toContain('timeoutMs');
    await expect(h.engine.stop()).resolves.toEqual({ timedOut: false });
  });

  it('stop({ drain: true }) delivers everything due before completing', async () => {
    const h = createEngineHarness({ batchSize: 4 });
    h.outbox.seed(10);
    h.engine.start();
    const stopping = h.engine.stop({ drain: true });
    await h.clock.advance(2000);
    await stopping;
    expect(h.outbox.stats().delivered).toBe(10);
    expect(h.statuses.at(-1)?.state).toBe('stopped');
  });

  it('stop({ drain: true }) while offline does not hang: it stops with the events kept for later', async () => {
    const h = createEngineHarness();
    const [id] = h.outbox.seed(1);
    h.fake.script = () => failure('offline');
    h.engine.start();
    await h.clock.advance(500);
    const stopping = h.engine.stop({ drain: true });
    await h.clock.advance(500);
    await stopping;
    expect(h.outbox.get(id!)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('never hands the access token to the logger, whatever happens', async () => {
    const lines: string[] = [];
    const log = (message: string, fields?: Record<string, unknown>) =>
      lines.push(message + JSON.stringify(fields));
    const tokens = ['secret-token-A', 'secret-token-B'];
    const h = createEngineHarness({
      accessToken: () => tokens.shift() ?? 'secret-token-C',
      logger: { debug: log, info: log, warn: log, error: log },
      maxAttempts: 2,
    });
    h.outbox.seed(4);
    h.fake.script = (_ids, request, index) => {
      if (request.accessToken === 'secret-token-A') return answer(401);
      // Read back once the attempts are used up: HubSpot does not have the event, so it is given up.
      if (request.method === 'GET') return answer(404);
      return index < 4 ? answer(400, 'bad') : answer(503);
    };
    h.engine.start();
    await h.clock.advance(60_000);
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.join('\n')).not.toMatch(/secret-token/);
    await h.engine.stop();
  });

  it('sends nothing while online$ says false and resumes as soon as it says true', async () => {
    const online$ = new BehaviorSubject(false);
    const h = createEngineHarness({ online$ });
    h.outbox.seed(5);
    h.engine.start();
    await h.clock.advance(30_000);
    expect(h.fake.requests).toHaveLength(0);
    expect(h.statuses.at(-1)?.state).toBe('offline');
    online$.next(true);
    await h.clock.advance(200);
    expect(h.outbox.stats().delivered).toBe(5);
    expect(h.statuses.at(-1)?.state).toBe('idle');
    await h.engine.stop();
  });

  it('emits stats with the outbox counts and its own request and delivery counts', async () => {
    const h = createEngineHarness({ batchSize: 10, statsIntervalMs: 500 });
    const seen: { delivered: number; requests: number; deliveryRate: number }[] = [];
    h.engine.stats$.subscribe((stats) => seen.push(stats));
    h.outbox.seed(30);
    h.engine.start();
    await h.clock.advance(2000);
    const last = seen.at(-1)!;
    expect(last.delivered).toBe(30);
    expect(last.requests).toBe(3);
    expect(last.deliveryRate).toBeCloseTo(3, 5);
    await h.engine.stop();
  });
});

/** A harness whose access token takes `delayMs` of virtual time to arrive, every time one is asked for. */
function harnessWithLateToken(delayMs: number) {
  let scheduler: SchedulerLike | undefined;
  const lateToken = (): Promise<string> =>
    new Promise((resolve) => scheduler?.schedule(() => resolve('late-token'), delayMs));
  const h = createEngineHarness({ accessToken: lateToken });
  scheduler = h.clock.scheduler;
  return h;
}
