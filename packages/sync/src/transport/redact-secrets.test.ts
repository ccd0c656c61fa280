import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact-secrets.js';

const SECRET = 'se+cr/et=1&2%3 x~é';

describe('redactSecrets', () => {
  it.each([
    ['raw', SECRET],
    ['URL-encoded', encodeURIComponent(SECRET)],
    ['form-encoded', new URLSearchParams({ s: SECRET }).toString().slice(2)],
    [
      'URL-encoded in lower case',
      encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (p) => p.toLowerCase()),
    ],
    ['JSON-escaped', JSON.stringify(SECRET).slice(1, -1)],
  ])('removes the %s form', (_title, form) => {
    const safe = redactSecrets(`before ${form} after`, [SECRET]);

    expect(safe).toBe('before [redacted] after');
  });

  it('removes a longer secret whole even when it contains a shorter one', () => {
    const safe = redactSecrets('token abc-123-def here', ['abc', 'abc-123-def']);

    expect(safe).toBe('token [redacted] here');
  });

  it('ignores empty secrets and leaves text without secrets alone', () => {
    expect(redactSecrets('nothing to hide', ['', 'zzz'])).toBe('nothing to hide');
  });
});
