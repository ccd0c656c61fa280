import { DeliveryError, isHublineError } from '@hubline/core';
import { describe, expect, it } from 'vitest';
import { createEngineHarness } from '../../test/support/engine-harness.js';
import { fakeDialect } from '../../test/support/fake-dialect.js';
import { answer, created, failure } from '../../test/support/fake-transport.js';
import { VIRTUAL_EPOCH } from '../../test/support/virtual-clock.js';
import { createRateBudget } from '../pacing/create-rate-budget.js';

const T0 = VIRTUAL_EPOCH;

describe('createSyncEngine when HubSpot or the network fails', () => {
  it('retries server errors on the capped exponential schedule with full jitter, then reads back and dead-letters with MAX_ATTEMPTS only when HubSpot does not have it', async () => {
    const h = createEngineHarness({ maxAttempts: 4, backoff: { baseMs: 1000, maxMs: 60_000 } });
    const [id] = h.outbox.seed(1);
    h.fake.script = (_ids, request) =>
      request.method === 'GET' ? answer(404, 'no such event') : answer(503, 'Service Unavailable');
    const waiting = h.engine.whenDelivered(id!).catch((error: unknown) => error);
    h.engine.start();
    await h.clock.advance(60_000);
    // random() = 0.5 draws half of each ceiling: 500, 1000, 2000 ms after each 100 ms answer; after the fourth
    // 503 (4000 ms later) the attempts are used up and the outcome still unknown, so the engine reads it back.
    expect(h.fake.requests.map((request) => `${request.method} ${request.at - T0}`)).toEqual([
      'POST 0',
      'POST 600',
      'POST 1700',
      'POST 3800',
      'GET 7900',
    ]);
    expect(h.statuses).toContainEqual({
      state: 'backing-off',
      reason: 'retrying failed events',
      until: T0 + 600,
    });
    const entry = h.outbox.get(id!);
    expect(entry?.status).toBe('dead');
    const dead = h.outcomes.find((outcome) => outcome.type === 'dead');
    expect(dead).toMatchObject({ category: 'MAX_ATTEMPTS', status: 404 });
    expect(dead).toMatchObject({ message: expect.stringMatching(/^gave up after 4 attempts; /) });
    const error = await waiting;
    expect(isHublineError(error, 'DEAD_LETTERED')).toBe(true);
    await h.engine.stop();
  });

  it('never dead-letters an event whose attempts ran out while HubSpot may have it: found on read-back, it is delivered', async () => {
    const h = createEngineHarness({ maxAttempts: 2, backoff: { baseMs: 1000, maxMs: 60_000 } });
    const [id] = h.outbox.seed(1);
    let getAnswers = [answer(503), answer(200)];
    h.fake.script = (_ids, request) =>
      request.method === 'GET' ? (getAnswers.shift() ?? answer(200)) : answer(504, 'gateway timeout');
    h.engine.start();
    await h.clock.advance(60_000);
    // Two 504s use the attempts; the first read-back proves nothing (503): wait, no attempt; the second finds it.
    expect(h.fake.requests.map((request) => request.method)).toEqual(['POST', 'POST', 'GET', 'GET']);
    expect(h.outbox.get(id!)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(h.outbox.history(id!).at(-1)?.event).toMatchObject({ type: 'Delivered', evidence: 'read-back' });
    getAnswers = [];
    await h.engine.stop();
  });

  it('paces requests with the rate budget: never more than N per window', async () => {
    const h = createEngineHarness({ batchSize: 1 }, 10);
    const engine = h.another({
      owner: 'paced',
      batchSize: 1,
      rateLimit: createRateBudget({ requests: 5, windowMs: 1000, scheduler: h.clock.scheduler }),
    });
    h.outbox.seed(30);
    engine.start();
    await h.clock.advance(10_000);
    const times = h.fake.requests.map((request) => request.at);
    expect(times).toHaveLength(30);
    for (const start of times) {
      expect(times.filter((time) => time >= start && time < start + 1000).length).toBeLessThanOrEqual(5);
    }
    expect(times.at(-1)! - T0).toBeLessThan(6000);
    await engine.stop();
  });

  it('counts a page fetched ahead from when it is sent, so a bisection storm before it draws no 429', async () => {
    const h = createEngineHarness({ batchSize: 10 }, 10);
    const engine = h.another({
      owner: 'storm',
      batchSize: 10,
      leaseMs: 60_000,
      rateLimit: createRateBudget({ requests: 5, windowMs: 1000, scheduler: h.clock.scheduler }),
    });
    const stormIds = new Set(h.outbox.seed(10));
    h.outbox.seed(50);
    // HubSpot refuses every group of the first page as a whole: it is bisected down to single events.
    h.fake.script = (ids) => (ids.length > 1 && stormIds.has(ids[0]!) ? answer(400, 'bad batch') : created());
    engine.start();
    await h.clock.advance(20_000);
    expect(h.outbox.stats().delivered).toBe(60);
    const times = h.fake.requests.map((request) => request.at);
    // 19 requests to bisect ten events, then the page claimed while the first was on the wire, then four more.
    expect(times).toHaveLength(24);
    for (const start of times) {
      expect(times.filter((time) => time >= start && time < start + 1000).length).toBeLessThanOrEqual(5);
    }
    await engine.stop();
  });

  it('says pacing, never idle, while due events wait for the rate budget, and backing-off while they wait for a retry time', async () => {
    const h = createEngineHarness({ batchSize: 1 }, 10);
    const engine = h.another({
      owner: 'truthful',
      batchSize: 1,
      rateLimit: createRateBudget({ requests: 2, windowMs: 1000, scheduler: h.clock.scheduler }),
    });
    const seen: Array<{ at: number; state: string }> = [];
    engine.status$.subscribe((status) => seen.push({ at: h.clock.now() - T0, state: status.state }));
    h.outbox.seed(6);
    // The sixth event's first answer is a 423 (locked for 2 s, not an attempt): it then waits for its retry time.
    let sent = 0;
    h.fake.script = () => (++sent === 6 ? answer(423, 'locked') : created());
    engine.start();
    await h.clock.advance(10_000);
    expect(h.outbox.stats().delivered).toBe(6);
    const until = (ms: number) => seen.filter((status) => status.at <= ms).at(-1)?.state;
    // Two requests per second: between the sends the engine waits for the budget with four events due.
    expect(until(500)).toBe('pacing');
    expect(until(1500)).toBe('pacing');
    // The 423 at 2.01 s: nothing due until 4.01 s.
    expect(until(3000)).toBe('backing-off');
    expect(until(9000)).toBe('idle');
    await engine.stop();
  });

  it('widens a configured pacing window by rateLimitMarginMs so edge-of-window requests cannot land inside it', async () => {
    const h = createEngineHarness({ batchSize: 1 }, 10);
    const engine = h.another({ owner: 'margin', batchSize: 1, rateLimit: { requests: 5, windowMs: 1000 } });
    h.outbox.seed(15);
    engine.start();
    await h.clock.advance(10_000);
    const times = h.fake.requests.map((request) => request.at);
    expect(times).toHaveLength(15);
    for (const start of times) {
      expect(times.filter((time) => time >= start && time < start + 1250).length).toBeLessThanOrEqual(5);
    }
    await engine.stop();
  });

  it('on a 429 every engine sharing the budget waits until the window resets, and no attempt is used', async () => {
    const h = createEngineHarness({ batchSize: 1 });
    const budget = createRateBudget({ requests: 100, windowMs: 10_000, scheduler: h.clock.scheduler });
    const a = h.another({ owner: 'a', batchSize: 1, rateLimit: budget });
    const b = h.another({ owner: 'b', batchSize: 1, rateLimit: budget });
    const statuses: string[] = [];
    b.status$.subscribe((status) => statuses.push(status.state));
    h.fake.script = (_ids, _request, index) =>
      index === 0 ? answer(429, 'TEN_SECONDLY_ROLLING') : created();
    const ids = h.outbox.seed(4);
    a.start();
    b.start();
    await h.clock.advance(60_000);
    // Requests already in flight when the 429 arrived (at T0 + 100) finish; no new one starts for 10 s.
    const later = h.fake.requests.filter((request) => request.at > T0).map((request) => request.at - T0);
    expect(later.length).toBeGreaterThan(0);
    expect(Math.min(...later)).toBeGreaterThanOrEqual(100 + 10_000);
    expect(statuses).toContain('rate-limited');
    for (const id of ids) expect(h.outbox.get(id)).toMatchObject({ status: 'delivered', attempts: 0 });
    await a.stop();
    await b.stop();
  });

  it('a page claimed ahead while a request was in flight is not sent into a 429 pause', async () => {
    const h = createEngineHarness({ batchSize: 1 });
    h.fake.script = (_ids, _request, index) =>
      index === 0 ? answer(429, 'TEN_SECONDLY_ROLLING') : created();
    const ids = h.outbox.seed(5);
    h.engine.start();
    await h.clock.advance(30_000);
    const later = h.fake.requests.slice(1).map((request) => request.at - T0);
    expect(Math.min(...later)).toBeGreaterThanOrEqual(100 + 10_000);
    for (const id of ids) expect(h.outbox.get(id)).toMatchObject({ status: 'delivered', attempts: 0 });
    await h.engine.stop();
  });

  it("a batch turned away by a 429 keeps HubSpot's status in its history; pages given back unsent keep none", async () => {
    const h = createEngineHarness({ batchSize: 2 });
    h.fake.script = (_ids, _request, index) =>
      index === 0 ? answer(429, 'TEN_SECONDLY_ROLLING') : created();
    const ids = h.outbox.seed(6);
    h.engine.start();
    await h.clock.advance(30_000);
    const released = h.outbox.settleCalls
      .flatMap((call) => call.settlements)
      .filter((settlement) => settlement.type === 'failed');
    const sent = h.fake.requests[0]!.ids;
    expect(released.filter((settlement) => sent.includes(settlement.id))).toEqual(
      sent.map((id) =>
        expect.objectContaining({
          id,
          status: 429,
          countsAsAttempt: false,
          reason: 'rate-limited: HubSpot answered 429, no attempt used',
        }),
      ),
    );
    // The page claimed ahead is given back unsent: a Released, not a failure, and no status.
    expect(released.filter((settlement) => !sent.includes(settlement.id))).toEqual([]);
    const unsent = h.outbox.releaseCalls.flatMap((call) => call.releases);
    expect(unsent.length).toBeGreaterThan(0);
    for (const release of unsent) {
      expect(sent).not.toContain(release.id);
      expect(release).toMatchObject({ reason: 'paused', detail: 'rate limited: not sent, no attempt used' });
    }
    for (const id of ids) expect(h.outbox.get(id)).toMatchObject({ status: 'delivered', attempts: 0 });
    await h.engine.stop();
  });

  it('a DAILY 429 pauses far longer than a TEN_SECONDLY_ROLLING one', async () => {
    const h = createEngineHarness();
    h.fake.script = (_ids, _request, index) => (index === 0 ? answer(429, 'DAILY') : created());
    const [id] = h.outbox.seed(1);
    h.engine.start();
    await h.clock.advance(3_000_000);
    expect(h.fake.requests).toHaveLength(1);
    expect(h.statuses.at(-1)).toMatchObject({ state: 'rate-limited', until: T0 + 100 + 3_600_000 });
    await h.clock.advance(700_000);
    expect(h.outbox.get(id!)).toMatchObject({ status: 'delivered', attempts: 0 });
    await h.engine.stop();
  });

  it('bisects a batch refused as a whole until only the bad events are dead-lettered', async () => {
    const h = createEngineHarness({ batchSize: 16 });
    const ids = h.outbox.seed(16);
    const bad = new Set([ids[3]!, ids[12]!]);
    h.fake.script = (sent) =>
      sent.some((id) => bad.has(id)) ? answer(400, 'Invalid token value') : created();
    h.engine.start();
    await h.clock.advance(10_000);
    const dead = h.outcomes.filter((outcome) => outcome.type === 'dead');
    expect(dead.map((outcome) => outcome.id).sort()).toEqual([...bad].sort());
    expect(dead[0]).toMatchObject({
      category: 'VALIDATION_ERROR',
      message: 'Invalid token value',
      status: 400,
    });
    for (const id of ids.filter((id) => !bad.has(id))) {
      expect(h.outbox.get(id)).toMatchObject({ status: 'delivered', attempts: 0 });
    }
    // 1 + 2 + 4 + 8 requests at most for 2 bad events among 16, all under the first lease.
    expect(h.fake.requests.length).toBeLessThanOrEqual(15);
    expect(h.outbox.settleCalls.every((call) => call.owner === h.outbox.settleCalls[0]!.owner)).toBe(true);
    await h.engine.stop();
  });

  it('re-sends events a 207 could not attribute on their own, and counts "already exists" as delivered', async () => {
    const h = createEngineHarness();
    const ids = h.outbox.seed(4);
    h.fake.script = (_sent, _request, index) =>
      index === 0
        ? answer(207, JSON.stringify({ unknown: [ids[1]], dead: [ids[2]], existed: [ids[3]] }))
        : created();
    h.engine.start();
    await h.clock.advance(1000);
    expect(h.fake.requests[1]?.ids).toEqual([ids[1]]);
    expect(h.outbox.get(ids[1]!)?.status).toBe('delivered');
    expect(h.outbox.get(ids[2]!)?.status).toBe('dead');
    expect(h.outcomes).toContainEqual({ type: 'delivered', id: ids[3], alreadyExisted: true });
    await h.engine.stop();
  });

  it('re-sends the events a partial answer left without a verdict together, not bisected', async () => {
    const h = createEngineHarness();
    const ids = h.outbox.seed(6);
    h.fake.script = (_sent, _request, index) =>
      index === 0 ? answer(207, JSON.stringify({ unknown: [ids[1], ids[3], ids[4]] })) : created();
    h.engine.start();
    await h.clock.advance(1000);
    expect(h.fake.requests.map((request) => request.ids)).toEqual([ids, [ids[1], ids[3], ids[4]]]);
    expect(ids.every((id) => h.outbox.get(id)?.status === 'delivered')).toBe(true);
    await h.engine.stop();
  });

  it('builds the request from the stored event JSON when the dialect can take it', async () => {
    const paths: string[] = [];
    const h = createEngineHarness({
      dialect: {
        ...fakeDialect,
        encodeJson: (jsons) => ({
          method: 'POST',
          path: '/fake/from-json',
          body: JSON.stringify({ ids: jsons.map((json) => (JSON.parse(json) as { id: string }).id) }),
        }),
      },
    });
    const ids = h.outbox.seed(3);
    h.fake.script = (_ids, request) => {
      paths.push(request.path);
      return created();
    };
    h.engine.start();
    await h.clock.advance(1000);
    expect(paths).toEqual(['/fake/from-json']);
    expect(h.fake.requests[0]?.ids).toEqual(ids);
    await h.engine.stop();
  });

  it('on 401 asks once for a fresh token and re-sends the same batch with it', async () => {
    const tokens = ['stale', 'fresh'];
    const h = createEngineHarness({ accessToken: () => tokens.shift() ?? 'fresh' });
    const [id] = h.outbox.seed(1);
    h.fake.script = (_ids, request) => (request.accessToken === 'stale' ? answer(401) : created());
    h.engine.start();
    await h.clock.advance(1000);
    expect(h.fake.requests.map((request) => request.accessToken)).toEqual(['stale', 'fresh']);
    expect(h.outbox.get(id!)).toMatchObject({ status: 'delivered', attempts: 0 });
    await h.engine.stop();
  });

  it('pauses in unauthorized when the fresh token is refused too, losing nothing, and recovers once a token works', async () => {
    let good = false;
    const h = createEngineHarness({
      accessToken: () => (good ? 'good-token' : 'secret-bad'),
      authRetryMs: 30_000,
    });
    const [id] = h.outbox.seed(1);
    h.fake.script = (_ids, request) => (request.accessToken === 'good-token' ? created() : answer(401));
    h.engine.start();
    await h.clock.advance(1000);
    expect(h.fake.requests).toHaveLength(2);
    expect(h.statuses.at(-1)).toMatchObject({ state: 'unauthorized', until: T0 + 200 + 30_000 });
    expect(h.outbox.get(id!)).toMatchObject({ status: 'pending', attempts: 0 });
    // flush() probes once more (a person asked), then reports what blocks it.
    const report = h.engine.flush();
    await h.clock.advance(1000);
    await expect(report).resolves.toMatchObject({ blockedBy: 'unauthorized' });
    expect(h.fake.requests).toHaveLength(4);
    good = true;
    await h.clock.advance(31_000);
    expect(h.outbox.get(id!)).toMatchObject({ status: 'delivered', attempts: 0 });
    expect(h.statuses.at(-1)?.state).toBe('idle');
    expect(JSON.stringify([h.statuses, h.outcomes])).not.toContain('secret-bad');
    await h.engine.stop();
  });

  it('pauses in unauthorized when the token provider itself fails, sending nothing, and recovers when it works', async () => {
    let failing = true;
    const h = createEngineHarness({
      authRetryMs: 10_000,
      accessToken: () => {
        if (failing) throw new Error('refresh endpoint unreachable');
        return 'good-token';
      },
    });
    const [id] = h.outbox.seed(1);
    h.engine.start();
    await h.clock.advance(5000);
    expect(h.fake.requests).toHaveLength(0);
    expect(h.statuses.at(-1)?.state).toBe('unauthorized');
    expect(h.outbox.get(id!)).toMatchObject({ status: 'pending', attempts: 0 });
    failing = false;
    await h.clock.advance(6000);
    expect(h.outbox.get(id!)).toMatchObject({ status: 'delivered', attempts: 0 });
    await h.engine.stop();
  });

  it('treats an unreachable token endpoint as offline (probing every offlineProbeMs) and a failing one as a growing backoff, never as unauthorized', async () => {
    let trouble: 'TOKEN_ENDPOINT_UNREACHABLE' | 'TOKEN_ENDPOINT_FAILED' | undefined =
      'TOKEN_ENDPOINT_UNREACHABLE';
    const asked: number[] = [];
    const h = createEngineHarness({
      offlineProbeMs: 2000,
      authRetryMs: 60_000,
      backoff: { baseMs: 1000, maxMs: 60_000 },
      accessToken: () => {
        asked.push(h.clock.now() - T0);
        if (trouble !== undefined)
          throw new DeliveryError(trouble, `OAuth token refresh failed (${trouble})`);
        return 'good-token';
      },
    });
    const [id] = h.outbox.seed(1);
    h.engine.start();
    await h.clock.advance(5000);
    expect(h.statuses.at(-1)).toMatchObject({ state: 'offline' });
    expect(asked).toEqual([0, 2000, 4000]);
    trouble = 'TOKEN_ENDPOINT_FAILED';
    asked.length = 0;
    await h.clock.advance(10_000);
    expect(h.statuses.at(-1)).toMatchObject({ state: 'backing-off' });
    // Full jitter fixed at one half: 500, 1000, 2000, 4000 ms after each failure.
    expect(asked.map((at, index) => (index === 0 ? 0 : at - asked[index - 1]!))).toEqual([
      0, 500, 1000, 2000, 4000,
    ]);
    expect(h.fake.requests).toHaveLength(0);
    expect(h.outbox.get(id!)).toMatchObject({ status: 'pending', attempts: 0 });
    trouble = undefined;
    await h.clock.advance(10_000);
    expect(h.outbox.get(id!)).toMatchObject({ status: 'delivered', attempts: 0 });
    await h.engine.stop();
  });

  it('pauses in forbidden on 403 without refreshing or using attempts, and resumes when access is granted', async () => {
    let granted = false;
    const h = createEngineHarness({ authRetryMs: 60_000 });
    const [id] = h.outbox.seed(1);
    h.fake.script = () => (granted ? created() : answer(403));
    h.engine.start();
    await h.clock.advance(30_000);
    expect(h.fake.requests).toHaveLength(1);
    expect(h.statuses.at(-1)).toMatchObject({ state: 'forbidden', reason: 'missing scope timeline' });
    granted = true;
    await h.clock.advance(31_000);
    expect(h.outbox.get(id!)).toMatchObject({ status: 'delivered', attempts: 0 });
    await h.engine.stop();
  });

  it('never spends attempts while offline, probes the network, and delivers when it comes back', async () => {
    let online = false;
    const h = createEngineHarness({ maxAttempts: 2, offlineProbeMs: 5000 });
    const [id] = h.outbox.seed(1);
    h.fake.script = () => (online ? created() : failure('offline'));
    h.engine.start();
    await h.clock.advance(10 * 60_000);
    expect(h.statuses.at(-1)?.state).toBe('offline');
    expect(h.outbox.get(id!)).toMatchObject({ status: 'pending', attempts: 0 });
    // One probe per offlineProbeMs, not a storm.
    expect(h.fake.requests.length).toBeLessThanOrEqual(10 * 12 + 1);
    online = true;
    await h.clock.advance(6000);
    expect(h.outbox.get(id!)).toMatchObject({ status: 'delivered', attempts: 0 });
    await h.engine.stop();
  });

  it('on 413 splits the batch and lowers the byte budget for later claims', async () => {
    const h = createEngineHarness({ batchSize: 10, maxBatchBytes: 100_000 });
    h.outbox.seed(10, 300);
    h.fake.script = (sent) => (sent.length > 4 ? answer(413, '', { 'x-max-bytes': '1200' }) : created());
    h.engine.start();
    await h.clock.advance(5000);
    expect(h.outbox.stats().delivered).toBe(10);
    const after413 = h.fake.requests.slice(1).map((request) => request.ids.length);
    expect(Math.max(...after413)).toBeLessThanOrEqual(4);
    await h.engine.stop();
  });

  it('dead-letters a single event HubSpot finds too large even alone', async () => {
    const h = createEngineHarness();
    const [id] = h.outbox.seed(1);
    h.fake.script = () => answer(413, '', { 'x-max-bytes': '10' });
    h.engine.start();
    await h.clock.advance(1000);
    expect(h.outbox.get(id!)?.status).toBe('dead');
    expect(h.outcomes.at(-1)).toMatchObject({ type: 'dead', category: 'PAYLOAD_TOO_LARGE' });
    await h.engine.stop();
  });

  it('waits 2 s after a 423 without using an attempt', async () => {
    const h = createEngineHarness();
    const [id] = h.outbox.seed(1);
    h.fake.script = (_ids, _request, index) => (index === 0 ? answer(423) : created());
    h.engine.start();
    await h.clock.advance(5000);
    expect(h.fake.requests.map((request) => request.at - T0)).toEqual([0, 2100]);
    expect(h.outbox.get(id!)).toMatchObject({ status: 'delivered', attempts: 0 });
    await h.engine.stop();
  });

  it('stop() while waiting out a rate-limit pause returns at once and releases nothing twice', async () => {
    const h = createEngineHarness({ batchSize: 1 });
    h.fake.script = () => answer(429, 'DAILY');
    h.outbox.seed(2);
    h.engine.start();
    await h.clock.advance(1000);
    const stopped = h.engine.stop();
    await h.clock.advance(10);
    await stopped;
    expect(h.statuses.at(-1)?.state).toBe('stopped');
    expect(h.outbox.stats()).toMatchObject({ inFlight: 0, pending: 2 });
  });
});
