import { randomUUID } from 'node:crypto';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { sharedRateBudget } from './shared-rate-budget.js';

describe('sharedRateBudget', () => {
  it('returns one budget per key and a different one for another key', () => {
    const key = `http://127.0.0.1|app:${randomUUID()}`;

    const first = sharedRateBudget(key);

    expect(sharedRateBudget(key, { requests: 5 })).toBe(first);
    expect(sharedRateBudget(`${key}|other-portal`)).not.toBe(first);
  });

  it('makes engines on the same key share both the limit and a pause', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ flush }) => {
      const key = `http://127.0.0.1|app:${randomUUID()}`;
      const engineA = sharedRateBudget(key, { requests: 2, windowMs: 1000, scheduler });
      const engineB = sharedRateBudget(key, { requests: 2, windowMs: 1000, scheduler });
      const grants: string[] = [];
      const record = (label: string) => () => grants.push(`${label}@${scheduler.now()}`);

      engineA.acquire().subscribe(record('a1'));
      engineB.acquire().subscribe(record('b1'));
      engineB.acquire().subscribe(record('b2'));
      scheduler.schedule(() => engineA.pause(5000, '429 seen by A'), 100);
      flush();

      expect(grants).toEqual(['a1@0', 'b1@0', 'b2@5100']);
      expect(engineB.pausedUntil()).toBe(0);
    });
  });
});
