import { randomUUID } from 'node:crypto';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { holdSharedRateBudget, sharedRateBudget, sharedRateBudgetCount } from './shared-rate-budget.js';

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

  it('forgets a budget engines shared once none holds it and its window has passed, and keeps it while one does', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ flush }) => {
      const before = sharedRateBudgetCount();
      const keys = Array.from({ length: 50 }, () => `http://127.0.0.1|app:${randomUUID()}`);
      const held = keys.map((key) => holdSharedRateBudget(key, { requests: 1, windowMs: 1000, scheduler }));
      const second = holdSharedRateBudget(keys[0]!, { requests: 1, windowMs: 1000, scheduler });
      expect(second.budget).toBe(held[0]!.budget);
      expect(sharedRateBudgetCount()).toBe(before + 50);
      held[1]!.budget.pause(5000, '429');
      for (const hold of held) hold.release();
      // Within the window the budgets are kept: an engine restarted at once still paces against them.
      scheduler.schedule(() => expect(sharedRateBudgetCount()).toBe(before + 50), 999);
      // After it, only the one still held and the one still paused remain.
      scheduler.schedule(() => expect(sharedRateBudgetCount()).toBe(before + 2), 1000);
      scheduler.schedule(() => {
        expect(sharedRateBudgetCount()).toBe(before + 1);
        second.release();
      }, 5000);
      scheduler.schedule(() => expect(sharedRateBudgetCount()).toBe(before), 6000);
      flush();
    });
  });
});
