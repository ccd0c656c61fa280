import { describe, expect, it } from 'vitest';
import { decideTake, HELD_SLOT_WINDOWS } from './budget-window.js';

const window = { requests: 2, windowMs: 10_000 };

describe('decideTake: the sliding window every store keeps', () => {
  it('grants while fewer slots than the limit count', () => {
    expect(decideTake([], 0, window)).toEqual({ slot: '' });
    expect(decideTake([{ at: 0, used: true }], 5_000, window)).toEqual({ slot: '' });
  });

  it('waits until the first used slot leaves the window', () => {
    const slots = [
      { at: 1_000, used: true },
      { at: 3_000, used: true },
    ];
    expect(decideTake(slots, 4_000, window)).toEqual({ waitMs: 7_000 });
    expect(decideTake(slots, 11_000, window)).toEqual({ slot: '' });
  });

  it('counts a held slot until it is used, given back, or held for five windows', () => {
    const held = [
      { at: 0, used: false },
      { at: 0, used: false },
    ];
    expect(decideTake(held, 20_000, window)).toEqual({ waitMs: HELD_SLOT_WINDOWS * 10_000 - 20_000 });
    expect(decideTake(held, HELD_SLOT_WINDOWS * 10_000, window)).toEqual({ slot: '' });
  });
});
