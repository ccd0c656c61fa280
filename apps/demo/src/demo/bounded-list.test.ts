import { describe, expect, it } from 'vitest';
import { createBoundedList } from './bounded-list.js';

describe('createBoundedList', () => {
  it('keeps the newest items, oldest first, once past its capacity', () => {
    const list = createBoundedList<number>(3);
    for (let item = 1; item <= 5; item += 1) list.push(item);
    expect(list.items).toEqual([3, 4, 5]);
  });

  it('keeps everything while under its capacity', () => {
    const list = createBoundedList<string>(3);
    list.push('a');
    list.push('b');
    expect(list.items).toEqual(['a', 'b']);
  });

  it('refuses a capacity that keeps nothing', () => {
    expect(() => createBoundedList(0)).toThrow(RangeError);
    expect(() => createBoundedList(1.5)).toThrow(/positive integer/);
  });
});
