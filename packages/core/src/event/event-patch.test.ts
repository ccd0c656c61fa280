import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { applyEventPatch } from './event-patch.js';
import { normalizeEvent } from './normalize-event.js';
import type { TimelineEvent } from './types.js';

const NOW = Date.UTC(2026, 10, 29, 12);
const stored: TimelineEvent = normalizeEvent(
  {
    id: 'visit-1',
    eventTemplateId: '1001234',
    email: 'ana@example.com',
    tokens: { page: '/a', seconds: 3 },
    extraData: { source: 'kiosk' },
    timestamp: '2026-11-28T10:00:00Z',
  },
  { now: NOW, newId: () => 'unused' },
);

function issuesOf(patch: unknown): { path: string; message: string }[] {
  try {
    applyEventPatch(stored, patch, { now: NOW });
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return [...(error as ValidationError).issues];
  }
  throw new Error('expected a refusal');
}

describe('applyEventPatch', () => {
  it('replaces the fields given, tokens as a whole, and keeps the id, the time and the rest', () => {
    const { event, json, bytes } = applyEventPatch(
      stored,
      { tokens: { page: '/pricing' }, eventTemplateId: 1009 },
      { now: NOW },
    );
    expect(event).toEqual({ ...stored, eventTemplateId: '1009', tokens: { page: '/pricing' } });
    expect(json).toBe(JSON.stringify(event));
    expect(bytes).toBe(Buffer.byteLength(json));
  });

  it('removes an optional field given as null, and validates what is left', () => {
    const { event } = applyEventPatch(stored, { extraData: null, objectId: 512 }, { now: NOW });
    expect(event).not.toHaveProperty('extraData');
    expect(event.objectId).toBe('512');
    expect(issuesOf({ email: null }).map((issue) => issue.path)).toEqual(['']);
  });

  it('refuses the id, the account and fields that are not amendable, naming each', () => {
    const issues = issuesOf({ id: 'other', account: '42', customObjectTypeId: '2-1', eventTemplateId: null });
    expect(issues.map((issue) => issue.path)).toEqual([
      'id',
      'account',
      'customObjectTypeId',
      'eventTemplateId',
    ]);
    expect(issues[0]?.message).toMatch(/idempotency key/);
    expect(issues[1]?.message).toMatch(/account it was recorded for/);
  });

  it('validates the amended event exactly as record does, naming the field', () => {
    expect(issuesOf({ email: 'not an email' }).map((issue) => issue.path)).toEqual(['email']);
    expect(issuesOf({ tokens: { 'bad name': 'x' } }).map((issue) => issue.path)).toEqual([
      'tokens["bad name"]',
    ]);
    expect(issuesOf('everything')).toEqual([
      { path: '', message: 'must be an object of the fields to change' },
    ]);
  });
});
