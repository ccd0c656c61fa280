import { describe, expect, it } from 'vitest';
import { classifyFetchError } from './classify-fetch-error.js';

function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function systemError(code: string, message = `connect ${code} 10.0.0.1:443`): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyFetchError', () => {
  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'])(
    'reads %s on the cause as offline',
    (code) => {
      expect(classifyFetchError(fetchFailed(systemError(code)))).toMatchObject({ failure: 'offline' });
    },
  );

  it('finds an offline code two causes deep', () => {
    const nested = fetchFailed(new Error('connect failed', { cause: systemError('ENOTFOUND') }));

    const classified = classifyFetchError(nested);

    expect(classified.failure).toBe('offline');
    expect(classified.detail).toContain('ENOTFOUND');
  });

  it.each([
    ['ECONNRESET', systemError('ECONNRESET', 'read ECONNRESET')],
    ['UND_ERR_SOCKET', systemError('UND_ERR_SOCKET', 'other side closed')],
    ['socket hang up', new Error('socket hang up')],
    ['other side closed', { message: 'other side closed' }],
  ])('reads %s as reset', (_label, cause) => {
    expect(classifyFetchError(fetchFailed(cause))).toMatchObject({ failure: 'reset', recognised: true });
  });

  it('reads a body read that was terminated after the headers as reset', () => {
    const terminated = new TypeError('terminated', {
      cause: systemError('UND_ERR_SOCKET', 'other side closed'),
    });

    expect(classifyFetchError(terminated)).toEqual({
      failure: 'reset',
      detail: 'other side closed (UND_ERR_SOCKET)',
      recognised: true,
    });
  });

  it('treats an unrecognised failure as reset, because the server may have acted on it', () => {
    expect(classifyFetchError(new Error('something new'))).toEqual({
      failure: 'reset',
      detail: 'something new',
      recognised: false,
    });
    expect(classifyFetchError(undefined)).toMatchObject({ failure: 'reset', recognised: false });
  });

  it('stops walking a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;

    expect(classifyFetchError(a).failure).toBe('reset');
  });
});
