import { describe, expect, it } from 'vitest';
import { HublineErrorCode } from './codes.js';
import { HublineError, isHublineError } from './hubline-error.js';

/** What a HublineError built by another copy of this package looks like here: branded, but another class. */
function fromAnotherCopy(code: string): Error {
  const error = Object.assign(new Error('x'), { name: 'HublineError', code });
  Object.defineProperty(error, Symbol.for('hubline.error'), { value: true });
  return error;
}

describe('HublineError', () => {
  it('keeps its code, message and cause', () => {
    const cause = new Error('disk full');
    const error = new HublineError('STORAGE_FAILED', 'could not write', { cause });
    expect(error.code).toBe('STORAGE_FAILED');
    expect(error.message).toBe('could not write');
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
  });

  it('has no cause when none is given', () => {
    expect(Object.hasOwn(new HublineError('NOT_FOUND', 'x'), 'cause')).toBe(false);
  });

  it('keeps its brand out of enumeration, so logs and copies do not show it', () => {
    const error = new HublineError('NOT_FOUND', 'x');
    const brand = Object.getOwnPropertyDescriptor(error, Symbol.for('hubline.error'));
    expect(brand).toMatchObject({ value: true, enumerable: false });
    expect(Object.getOwnPropertySymbols({ ...error })).toEqual([]);
  });
});

describe('isHublineError', () => {
  it('recognises its own errors, with or without a code to match', () => {
    const error = new HublineError('ID_CONFLICT', 'x');
    expect(isHublineError(error)).toBe(true);
    expect(isHublineError(error, 'ID_CONFLICT')).toBe(true);
    expect(isHublineError(error, 'NOT_FOUND')).toBe(false);
  });

  it('recognises an error from another copy of the package by its brand, without instanceof', () => {
    const foreign = fromAnotherCopy('ID_CONFLICT');
    expect(foreign).not.toBeInstanceOf(HublineError);
    expect(isHublineError(foreign)).toBe(true);
    expect(isHublineError(foreign, 'ID_CONFLICT')).toBe(true);
    expect(isHublineError(foreign, 'NOT_FOUND')).toBe(false);
  });

  it.each([
    ["another library's error with a code from our table", { name: 'TRPCError', code: 'NOT_FOUND' }],
    ['an Error given a code from our table', Object.assign(new Error('x'), { code: 'FORBIDDEN' })],
    ['an Error with a system code', Object.assign(new Error('x'), { code: 'ENOENT' })],
    ['a look-alike named HublineError', { name: 'HublineError', code: 'ID_CONFLICT', message: 'x' }],
    ['a branded error whose code names an inherited property', fromAnotherCopy('toString')],
    ['a branded error whose code is not in the table', fromAnotherCopy('NOT_A_CODE')],
    ['a branded object with no code', fromAnotherCopy(undefined as unknown as string)],
    ['an object inheriting the brand', Object.create(new HublineError('NOT_FOUND', 'x')) as object],
    ['null', null],
    ['a code on its own', 'VALIDATION_FAILED'],
  ])('refuses %s', (_name, value) => {
    expect(isHublineError(value)).toBe(false);
  });
});

describe('HublineErrorCode', () => {
  it('has keys equal to their values', () => {
    for (const [key, value] of Object.entries(HublineErrorCode)) expect(key).toBe(value);
  });
});
