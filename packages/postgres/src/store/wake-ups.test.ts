import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WAKE_UP_WINDOW_MS, WakeUps } from './wake-ups.js';

describe('WakeUps', () => {
  let now = 0;
  let sent: number[] = [];
  const wakeUps = () =>
    new WakeUps(
      async (count) => void sent.push(count),
      () => now,
    );
  const advance = async (ms: number) => {
    now += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };

  beforeEach(() => {
    vi.useFakeTimers();
    now = 1_000;
    sent = [];
  });
  afterEach(() => vi.useRealTimers());

  it('lets the first record of a quiet spell notify with its commit, and the rest together when the window ends', async () => {
    const w = wakeUps();
    expect(w.takeTurn()).toBe(true);
    for (const count of [1, 1, 3]) {
      await advance(5);
      expect(w.takeTurn()).toBe(false);
      w.defer(count);
    }
    expect(sent).toEqual([]);
    await advance(WAKE_UP_WINDOW_MS - 15 - 1);
    expect(sent).toEqual([]);
    await advance(1);
    expect(sent).toEqual([5]);
    // The flush opened a window of its own: a record right after it waits for that window's end.
    expect(w.takeTurn()).toBe(false);
    w.defer(2);
    await advance(WAKE_UP_WINDOW_MS);
    expect(sent).toEqual([5, 2]);
    // Quiet for a window: the next record notifies itself again.
    await advance(WAKE_UP_WINDOW_MS);
    expect(w.takeTurn()).toBe(true);
  });

  it('sends nothing for records that added nothing, and sends what is pending when closed', async () => {
    const w = wakeUps();
    expect(w.takeTurn()).toBe(true);
    expect(w.takeTurn()).toBe(false);
    w.defer(0);
    await advance(WAKE_UP_WINDOW_MS * 2);
    expect(sent).toEqual([]);
    expect(w.takeTurn()).toBe(true);
    expect(w.takeTurn()).toBe(false);
    w.defer(4);
    await w.close();
    expect(sent).toEqual([4]);
    // A record finishing after close arms nothing.
    w.defer(3);
    await advance(WAKE_UP_WINDOW_MS * 2);
    expect(sent).toEqual([4]);
  });

  it('does not hold close up for long when the last notification cannot go out', async () => {
    const w = new WakeUps(
      () => new Promise<void>(() => {}),
      () => now,
    );
    expect(w.takeTurn()).toBe(true);
    w.defer(1);
    let closed = false;
    void w.close().then(() => {
      closed = true;
    });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(closed).toBe(true);
  });
});
