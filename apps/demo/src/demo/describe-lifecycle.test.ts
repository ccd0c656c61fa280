import type { EntryStatus, LifecycleEvent } from '@hubline/core/store';
import { describe, expect, it } from 'vitest';
import { describeLifecycle } from './describe-lifecycle.js';

const story = (...events: LifecycleEvent[]) => events.map((event, index) => ({ seq: index + 1, event }));

const recorded: LifecycleEvent = { type: 'Recorded', at: 1000, bytes: 312 };
const claimed = (at: number): LifecycleEvent => ({
  type: 'Claimed',
  at,
  owner: 'engine-AbCdEf123456',
  leaseUntil: at + 10_000,
});

describe('describeLifecycle', () => {
  it('says an event HubSpot refused was sent once, with HubSpot’s reason, though it used no attempt', () => {
    const { sends, headline, steps } = describeLifecycle(
      'dead',
      story(recorded, claimed(1100), {
        type: 'DeadLettered',
        at: 1200,
        owner: 'engine-AbCdEf123456',
        category: 'VALIDATION_ERROR',
        message: 'seconds must be a number',
        status: 400,
      }),
    );
    expect(sends).toBe(1);
    expect(headline).toBe(
      'dead letter: sent 1×, refused by HubSpot: VALIDATION_ERROR: seconds must be a number',
    );
    expect(steps.map((step) => step.type)).toEqual(['Recorded', 'Claimed', 'DeadLettered']);
    expect(steps[2]?.detail).toBe(
      'refused by HubSpot (HTTP 400): VALIDATION_ERROR: seconds must be a number',
    );
  });

  it('does not headline a delivered event with an error it got over', () => {
    const { sends, headline, steps } = describeLifecycle(
      'delivered',
      story(
        recorded,
        claimed(1100),
        {
          type: 'Failed',
          at: 1300,
          owner: 'engine-AbCdEf123456',
          reason: 'rate-limited: not sent, no attempt used',
          countsAsAttempt: false,
          nextAttemptAt: 11_300,
        },
        claimed(11_400),
        {
          type: 'Failed',
          at: 11_500,
          owner: 'e',
          reason: 'HTTP 503: Service Unavailable',
          status: 503,
          countsAsAttempt: true,
          nextAttemptAt: 11_750,
        },
        claimed(11_800),
        { type: 'Delivered', at: 11_900, owner: 'e', alreadyExisted: true },
      ),
    );
    expect(sends).toBe(2);
    expect(headline).toBe('delivered: sent 2×, confirmed by "already exists" after a lost answer');
    expect(headline).not.toMatch(/error/);
    expect(steps[2]?.detail).toBe('rate-limited: not sent, no attempt used, next try 10.0 s later');
    expect(steps[4]?.detail).toBe('HTTP 503: Service Unavailable; attempt 1 used, next try 0.3 s later');
    expect(steps[6]?.detail).toMatch(/already exists/);
  });

  it.each<[string, EntryStatus, LifecycleEvent, string]>([
    [
      'leaves out a batch’s 207, which says nothing about the one event',
      'dead',
      { type: 'DeadLettered', at: 1200, category: 'VALIDATION_ERROR', message: 'bad token', status: 207 },
      'refused by HubSpot: VALIDATION_ERROR: bad token',
    ],
    [
      'does not stack punctuation after HubSpot’s own sentence',
      'pending',
      {
        type: 'Failed',
        at: 1200,
        owner: 'e',
        reason: 'HTTP 423: The resource is locked. Locks last for 1 seconds.',
        status: 423,
        countsAsAttempt: false,
        nextAttemptAt: 2200,
      },
      'HTTP 423: The resource is locked. Locks last for 1 seconds; no attempt used, next try 1.0 s later',
    ],
    [
      'says "at once" rather than "0.0 s later" for a retry due right away',
      'pending',
      {
        type: 'Failed',
        at: 1200,
        owner: 'e',
        reason: 'HTTP 502',
        status: 502,
        countsAsAttempt: true,
        nextAttemptAt: 1230,
      },
      'HTTP 502; attempt 1 used, next try at once',
    ],
  ])('%s', (_behaviour, status, afterClaim, detail) => {
    const { steps } = describeLifecycle(status, story(recorded, claimed(1100), afterClaim));
    expect(steps[2]?.detail).toBe(detail);
  });

  it('tells every step in words, without the engine’s internal names', () => {
    const { steps } = describeLifecycle(
      'pending',
      story(
        recorded,
        claimed(1100),
        { type: 'LeaseExpired', at: 12_000, owner: 'engine-AbCdEf123456' },
        { type: 'Requeued', at: 13_000 },
        { type: 'Evicted', at: 14_000, reason: 'outbox full' },
      ),
    );
    for (const step of steps) {
      expect(step.detail).not.toMatch(/engine-|owner|countsAsAttempt|leaseUntil|:\s*true|:\s*false/);
    }
    expect(steps[0]?.detail).toBe('stored in the outbox on the kiosk (312 bytes)');
  });

  it('says an event that ran out of attempts was given up, with its last failure', () => {
    const failures: LifecycleEvent[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      failures.push(claimed(2000 + attempt * 100), {
        type: 'Failed',
        at: 2050 + attempt * 100,
        owner: 'e',
        reason: 'request timed out after 2000 ms',
        countsAsAttempt: true,
        nextAttemptAt: 2100 + attempt * 100,
      });
    }
    const { sends, headline } = describeLifecycle(
      'dead',
      story(recorded, ...failures, {
        type: 'DeadLettered',
        at: 2400,
        category: 'MAX_ATTEMPTS',
        message: 'gave up after 3 attempts; last error: request timed out after 2000 ms',
      }),
    );
    expect(sends).toBe(3);
    expect(headline).toBe(
      'dead letter: sent 3×, given up after too many failures; last: request timed out after 2000 ms',
    );
  });

  it('says a fresh event is waiting to be sent', () => {
    expect(describeLifecycle('pending', story(recorded)).headline).toBe('waiting to be sent');
  });
});
