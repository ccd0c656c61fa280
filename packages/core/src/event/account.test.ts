import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { isAccount } from './account.js';
import { normalizeEventWithJson } from './normalize-event.js';

const NOW = Date.UTC(2026, 10, 29, 12);
const options = { now: NOW, newId: () => 'id-1' };
const base = { eventTemplateId: '1001234', email: 'ana@example.com' };

describe('an account id', () => {
  it.each(['default', '12345', 'eu.portal_7:prod-2', 'a', 'x'.repeat(64)])('accepts %s', (account) => {
    expect(isAccount(account)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['x'.repeat(65), 'too long'],
    ['portal 1', 'a space'],
    ['pörtal', 'a letter outside ASCII'],
    ['a/b', 'a slash'],
    [42, 'a number'],
    [undefined, 'nothing'],
  ] as const)('refuses %j (%s)', (account, _why) => {
    expect(isAccount(account)).toBe(false);
  });
});

describe('recording with an account', () => {
  it('keeps the account beside the event, never in it or its JSON', () => {
    const { event, json, account } = normalizeEventWithJson({ ...base, account: '12345' }, options);
    expect(account).toBe('12345');
    expect(event).not.toHaveProperty('account');
    expect(json).not.toContain('12345');
    expect(json).toBe(normalizeEventWithJson(base, options).json);
  });

  it("defaults to the 'default' account", () => {
    expect(normalizeEventWithJson(base, options).account).toBe('default');
  });

  it('refuses an unusable account, naming the field, with the other problems', () => {
    let error: unknown;
    try {
      normalizeEventWithJson({ ...base, email: 'nope', account: 'portal 1' }, options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const issues = (error as ValidationError).issues;
    expect(issues.map((issue) => issue.path).sort()).toEqual(['account', 'email']);
    expect(issues.find((issue) => issue.path === 'account')?.message).toMatch(/1 to 64 characters/);
  });
});
