import { describe, expect, it } from 'vitest';
import { type AlreadyExistsEvidence, isAlreadyExists } from './already-exists.js';

describe('isAlreadyExists', () => {
  it.each<[string, AlreadyExistsEvidence]>([
    ['a 409 status', { status: 409 }],
    ['a 409 status given as a string (a StandardError field)', { status: '409' }],
    ['a 207 error with category CONFLICT', { category: 'CONFLICT', messages: ['Conflict'] }],
    ['category conflict in another case', { category: 'conflict' }],
    [
      'v1\'s 400 "Event ID already in use"',
      { status: 400, messages: ['Event ID already in use, please choose a new unique ID'] },
    ],
    ['a 409 body message "…already exists…"', { messages: ['An event with id 01JD… already exists'] }],
    ['2026-03: occurrences "already exist"', { messages: ['One or more occurrences already exist'] }],
    ['a detail message after a generic one', { messages: ['Some events failed', 'Event ID already in use'] }],
    ['a sub-category naming a duplicate', { subCategory: 'TimelineEventErrors.DUPLICATE_EVENT_ID' }],
    ['a sub-category ALREADY_EXISTS', { subCategory: 'OBJECT_ALREADY_EXISTS' }],
    ['"already  exists" across a line break', { messages: ['id already\nexists'] }],
  ])('says yes for %s', (_name, evidence) => {
    expect(isAlreadyExists(evidence)).toBe(true);
  });

  it.each<[string, AlreadyExistsEvidence]>([
    ['nothing at all', {}],
    [
      'a plain 400 validation error',
      { status: 400, category: 'VALIDATION_ERROR', messages: ['Invalid token value'] },
    ],
    ['a 404', { status: 404, category: 'OBJECT_NOT_FOUND', messages: ['Event template not found'] }],
    ['a 429', { status: 429, messages: ['You have reached your ten_secondly_rolling limit.'] }],
    ['"exists" without "already"', { messages: ['Template exists but is archived'] }],
    ['"already" in another sense', { messages: ['Token already expired'] }],
    ['undefined messages', { messages: [undefined] }],
  ])('says no for %s', (_name, evidence) => {
    expect(isAlreadyExists(evidence)).toBe(false);
  });
});
