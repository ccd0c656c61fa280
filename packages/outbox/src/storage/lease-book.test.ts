import type { EntryState } from '@hubline/core';
import { describe, expect, it } from 'vitest';
import { type Lease, LeaseBook } from './lease-book.js';

const state: EntryState = {
  status: 'leased',
  attempts: 0,
  recordedAt: 1,
  bytes: 10,
  nextAttemptAt: 1,
  leaseOwner: 'a',
  leaseUntil: 100,
  lastError: null,
  updatedAt: 1,
};
const lease = (id: string, owner = 'a'): Lease => ({ id, rk: 1, owner, bytes: 10, version: 2, state });

describe('LeaseBook', () => {
  it('hands a lease back once, to its owner only', () => {
    const book = new LeaseBook();
    book.remember(lease('x'));
    book.remember(lease('y', 'b'));
    expect(book.take('x', 'a')).toEqual(lease('x'));
    expect(book.take('x', 'a')).toBeUndefined();
    // Another owner asking drops the lease: that settle reads the row instead.
    expect(book.take('y', 'a')).toBeUndefined();
    expect(book.take('y', 'b')).toBeUndefined();
    expect(book.size).toBe(0);
  });

  it('keeps the newest lease of an entry', () => {
    const book = new LeaseBook();
    book.remember(lease('x', 'a'));
    book.remember(lease('x', 'b'));
    expect(book.take('x', 'b')?.owner).toBe('b');
  });

  it('starts afresh instead of growing past its capacity', () => {
    const book = new LeaseBook(3);
    for (const id of ['a', 'b', 'c']) book.remember(lease(id));
    expect(book.size).toBe(3);
    book.remember(lease('c'));
    expect(book.size).toBe(3);
    book.remember(lease('d'));
    expect(book.size).toBe(1);
    expect(book.take('d', 'a')).toBeDefined();
  });
});
