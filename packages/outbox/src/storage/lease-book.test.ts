import type { EntryState } from '@hubline/core/store';
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
  inDoubt: false,
  updatedAt: 1,
};
const lease = (id: string, owner = 'a'): Lease => ({
  id,
  rk: 1,
  owner,
  bytes: 10,
  account: 'default',
  version: 2,
  state,
});

describe('LeaseBook', () => {
  it('hands a lease back once, to its owner only', () => {
    const book = new LeaseBook();
    book.rememberClaim([lease('x'), lease('y', 'b')]);
    expect(book.size).toBe(2);
    expect(book.take('x', 'a')).toEqual(lease('x'));
    expect(book.take('x', 'a')).toBeUndefined();
    // Another owner asking drops the lease: that settle reads the row instead.
    expect(book.take('y', 'a')).toBeUndefined();
    expect(book.take('y', 'b')).toBeUndefined();
    expect(book.size).toBe(0);
  });

  it('keeps only the newest lease of an entry claimed again', () => {
    const book = new LeaseBook();
    book.rememberClaim([lease('x', 'a'), lease('y', 'a')]);
    book.rememberClaim([lease('x', 'b')]);
    expect(book.size).toBe(2);
    expect(book.take('x', 'b')?.owner).toBe('b');
    expect(book.take('x', 'a')).toBeUndefined();
    expect(book.take('y', 'a')?.id).toBe('y');
  });

  it('remembers the latest claims only, forgetting the oldest claim as a whole', () => {
    const book = new LeaseBook(2);
    book.rememberClaim([lease('a1'), lease('a2')]);
    book.rememberClaim([lease('b1')]);
    book.rememberClaim([lease('c1')]);
    expect(book.size).toBe(2);
    expect(book.take('a1', 'a')).toBeUndefined();
    expect(book.take('b1', 'a')?.id).toBe('b1');
    expect(book.take('c1', 'a')?.id).toBe('c1');
    book.rememberClaim([lease('d1')]);
    book.clear();
    expect(book.size).toBe(0);
    expect(book.take('d1', 'a')).toBeUndefined();
  });
});
