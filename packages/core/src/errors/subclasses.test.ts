import { describe, expect, it } from 'vitest';
import { CapacityError } from './capacity-error.js';
import { HublineErrorCode } from './codes.js';
import { DeliveryError } from './delivery-error.js';
import { HublineError, isHublineError } from './hubline-error.js';
import { IdConflictError } from './id-conflict-error.js';
import { LifecycleError } from './lifecycle-error.js';
import { StorageError } from './storage-error.js';
import { ValidationError } from './validation-error.js';

const cause = new Error('underlying');

interface Case {
  readonly name: string;
  readonly code: HublineErrorCode;
  readonly build: (options?: { cause: unknown }) => HublineError;
  /** Fields of its own the class must set from its arguments. */
  readonly fields: Record<string, unknown>;
  readonly message: RegExp;
}

const cases: Case[] = [
  {
    name: 'ValidationError',
    code: 'VALIDATION_FAILED',
    build: (options) => new ValidationError('thing', [{ path: 'a.b', message: 'is wrong' }], options),
    fields: { issues: [{ path: 'a.b', message: 'is wrong' }] },
    message: /^Invalid thing \(1 problem\):\n {2}- a\.b: is wrong$/,
  },
  {
    name: 'IdConflictError',
    code: 'ID_CONFLICT',
    build: (options) => new IdConflictError('visit-1', options),
    fields: { id: 'visit-1' },
    message: /"visit-1" was already recorded with different content/,
  },
  {
    name: 'CapacityError',
    code: 'CAPACITY_EXCEEDED',
    build: (options) => new CapacityError('maxBytes', 1024, options),
    fields: { limit: 'maxBytes', max: 1024 },
    message: /maxBytes=1024/,
  },
  {
    name: 'StorageError',
    code: 'STORAGE_FAILED',
    build: (options) => new StorageError('disk full', options),
    fields: {},
    message: /^disk full$/,
  },
  {
    name: 'StorageError',
    code: 'SCHEMA_TOO_NEW',
    build: (options) => new StorageError('schema 9 is newer than 3', { ...options, code: 'SCHEMA_TOO_NEW' }),
    fields: {},
    message: /schema 9/,
  },
  {
    name: 'LifecycleError',
    code: 'ILLEGAL_TRANSITION',
    build: (options) => new LifecycleError('dead', 'Delivered', 'already dead', options),
    fields: { from: 'dead', eventType: 'Delivered' },
    message: /Delivered cannot follow state "dead" \(already dead\)/,
  },
  {
    name: 'DeliveryError',
    code: 'DEAD_LETTERED',
    build: (options) =>
      new DeliveryError('DEAD_LETTERED', 'refused', {
        ...options,
        status: 400,
        category: 'VALIDATION_ERROR',
      }),
    fields: { status: 400, category: 'VALIDATION_ERROR' },
    message: /^refused$/,
  },
  {
    name: 'DeliveryError',
    code: 'TRANSPORT_FAILED',
    build: (options) => new DeliveryError('TRANSPORT_FAILED', 'timeout', options),
    fields: { status: undefined, category: undefined },
    message: /^timeout$/,
  },
  ...(['OUTBOX_CLOSED', 'NOT_FOUND', 'NOT_AN_OUTBOX', 'NATIVE_ADDON_MISSING'] as const).map(
    (code): Case => ({
      name: 'StorageError',
      code,
      build: (options) => new StorageError('nope', { ...options, code }),
      fields: {},
      message: /^nope$/,
    }),
  ),
  ...(
    [
      'HTTP_ERROR',
      'UNAUTHORIZED',
      'FORBIDDEN',
      'ENGINE_STOPPED',
      'TOKEN_ENDPOINT_UNREACHABLE',
      'TOKEN_ENDPOINT_FAILED',
    ] as const
  ).map(
    (code): Case => ({
      name: 'DeliveryError',
      code,
      build: (options) => new DeliveryError(code, 'nope', options),
      fields: {},
      message: /^nope$/,
    }),
  ),
];

describe('the error code table', () => {
  it('lists only codes some subclass raises, and every one of them', () => {
    expect(new Set(cases.map((c) => c.code))).toEqual(new Set(Object.keys(HublineErrorCode)));
  });
});

describe.each(cases.map((c) => [`${c.name} (${c.code})`, c] as const))('%s', (_title, c) => {
  it('has its name, code, message and own fields', () => {
    const error = c.build();
    expect(error.name).toBe(c.name);
    expect(error.code).toBe(c.code);
    expect(error.message).toMatch(c.message);
    expect(error).toMatchObject(c.fields);
    expect(error).toBeInstanceOf(HublineError);
    expect(error).toBeInstanceOf(Error);
  });

  it('keeps its cause', () => {
    expect(c.build({ cause }).cause).toBe(cause);
    expect(Object.hasOwn(c.build(), 'cause')).toBe(false);
  });

  it('is recognised by isHublineError with its code, and only its code', () => {
    const error = c.build();
    expect(isHublineError(error)).toBe(true);
    expect(isHublineError(error, c.code)).toBe(true);
    expect(isHublineError(error, c.code === 'NOT_FOUND' ? 'ID_CONFLICT' : 'NOT_FOUND')).toBe(false);
  });
});
