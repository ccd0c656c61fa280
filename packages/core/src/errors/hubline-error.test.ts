import { describe, expect, it } from 'vitest';
import { HublineErrorCode } from './codes.js';
import { HublineError, isHublineError } from './hubline-error.js';

describe('HublineError', () => {
  it('keeps its code, message and cause', () => {
    const cause = new Error('disk full');
    const error = new HublineError('STORAGE_FAILED', 'could not write', { cause });
    expect(error.code).toBe('STORAGE_FAILED');
    expect(error.message).toBe('could not write');
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
  });

  it('is recognised by its code without instanceof, as a copy from another realm would be', () => {
    const foreign = { name: 'HublineError', code: 'ID_CONFLICT', message: 'x' };
    expect(isHublineError(foreign)).toBe(true);
    expect(isHublineError(foreign, 'ID_CONFLICT')).toBe(true);
    expect(isHublineError(foreign, 'NOT_FOUND')).toBe(false);
  });

  it('does not mistake other errors with a code for its own', () => {
    expect(isHublineError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
    expect(isHublineError(null)).toBe(false);
    expect(isHublineError('VALIDATION_FAILED')).toBe(false);
  });

  it('has a code table whose keys equal their values', () => {
    for (const [key, value] of Object.entries(HublineErrorCode)) expect(key).toBe(value);
  });
});
