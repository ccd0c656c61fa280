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
    ['a bare sub-category DUPLICATE', { subCategory: 'Errors.DUPLICATE' }],
    ['a sub-category naming an id conflict', { subCategory: 'EVENT_ID_CONFLICT' }],
    ['"already  exists" across a line break', { messages: ['id already\nexists'] }],
    ['events counted with "(s)"', { messages: ['3 event(s) already exist; events are immutable.'] }],
    ['occurrences counted with "(s)"', { messages: ['2 occurrence(s) already exist; none were accepted.'] }],
    ['an occurrence "with this id"', { messages: ['An occurrence with this id already exists'] }],
    ['an event named by a quoted id', { messages: ['Event "visit-a" already exists'] }],
    ['"is already in use" after the id', { messages: ['Event ID 01JDZ8Q00000 is already in use'] }],
    [
      'a message naming the sent id, however short',
      { messages: ['visit-a already exists for event template 1001234'], ids: ['visit-a'] },
    ],
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
    [
      'a property that already exists on the template (a real refusal)',
      { status: 400, messages: ['Property "page" already exists on template but is of type number'] },
    ],
    ['a template that already exists', { messages: ['Event template already exists'] }],
    ['a property named like an event field', { messages: ['Property eventType already exists'] }],
    ['"already exists" about something else after "event"', { messages: ['Event property already exists'] }],
    ['"already exists" in another clause', { messages: ['Some events failed; a property already exists'] }],
    ['a sub-category about a duplicate property', { subCategory: 'TimelineErrors.DUPLICATE_PROPERTY' }],
    ['a sub-category about a template that exists', { subCategory: 'TEMPLATE_ALREADY_EXISTS' }],
    ['a sub-category merely containing DUPLICATE', { subCategory: 'DUPLICATE_TOKEN_NAME' }],
    ['another id than the one sent', { messages: ['visit-b already exists'], ids: ['visit-a'] }],
    ['the sent id inside a longer token', { messages: ['revisit-a already exists'], ids: ['visit-a'] }],
  ])('says no for %s', (_name, evidence) => {
    expect(isAlreadyExists(evidence)).toBe(false);
  });
});
