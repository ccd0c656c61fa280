import { ValidationError, type ValidationIssue } from '../../errors/validation-error.js';
import { ACCOUNT_WORDS, isAccount } from '../../event/account.js';
import { MAX_DELAY_MS } from '../../store/limits.js';
import type { DiscardOptions, ListDeadOptions, PruneOptions } from '../../store/records.js';
import type { BudgetWindow, ClaimOptions } from '../../store/types.js';
import { describeValue as describe } from './describe-value.js';
import { checkOwner, DELAY_WORDS, isDelay } from './validate-outcomes.js';

/*
 * Every entry point of a store checks its arguments as `record` does, with `VALIDATION_FAILED` naming the
 * argument, before it reads or writes anything: a NaN limit, a lease of Infinity or an id that is not a string
 * would otherwise reach SQL or the lifecycle rules and fail there in words that name neither.
 */

/** Refuses `issues` as one error about `call`, if there are any. */
function refuse(call: string, issues: readonly ValidationIssue[]): void {
  if (issues.length > 0) throw new ValidationError(call, issues);
}

/**
 * Refuses a `recordMany` argument that is not an array, or that has holes (`[a, , b]`). Each event in it is
 * validated by core afterwards.
 *
 * @param inputs - what the caller passed
 * @throws {@link ValidationError} naming `inputs`, or `[index]` for each hole
 */
export function assertInputArray(inputs: unknown): void {
  if (!Array.isArray(inputs)) {
    refuse('recordMany inputs', [
      { path: 'inputs', message: `must be an array of timeline events, got ${describe(inputs)}` },
    ]);
    return;
  }
  const issues: ValidationIssue[] = [];
  for (let index = 0; index < inputs.length; index++) {
    if (!(index in inputs))
      issues.push({ path: `[${index}]`, message: 'is missing: the array has a hole here' });
  }
  refuse('recordMany inputs', issues);
}

/**
 * Refuses claim options that are not usable, naming each.
 *
 * @param options - what the caller passed
 * @throws {@link ValidationError} naming `limit`, `maxBytes`, `leaseMs`, `owner` or `account`
 */
export function assertClaimOptions(options: unknown): asserts options is ClaimOptions {
  if (typeof options !== 'object' || options === null) {
    refuse('claim options', [{ path: 'options', message: `must be an object, got ${describe(options)}` }]);
    return;
  }
  const { limit, maxBytes, leaseMs, owner, account } = options as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  accountIssue(issues, account, 'account', true);
  if (!(typeof limit === 'number' && Number.isSafeInteger(limit) && limit > 0)) {
    issues.push({ path: 'limit', message: `must be a positive integer, got ${describe(limit)}` });
  }
  if (
    maxBytes !== undefined &&
    !(
      maxBytes === Number.POSITIVE_INFINITY ||
      (typeof maxBytes === 'number' && maxBytes > 0 && Number.isFinite(maxBytes))
    )
  ) {
    issues.push({
      path: 'maxBytes',
      message: `must be positive (or Infinity) when given, got ${describe(maxBytes)}`,
    });
  }
  if (!(typeof leaseMs === 'number' && Number.isInteger(leaseMs) && leaseMs > 0 && leaseMs <= MAX_DELAY_MS)) {
    issues.push({
      path: 'leaseMs',
      message: `must be positive: a whole number of ms up to ${MAX_DELAY_MS} (2^31 - 1), got ${describe(leaseMs)}`,
    });
  }
  checkOwner(owner, issues);
  refuse('claim options', issues);
}

/**
 * Refuses an entry id that is not a non-empty string.
 *
 * @param id - what the caller passed
 * @param call - the method, for the message (e.g. `history`)
 * @throws {@link ValidationError} naming `id`
 */
export function assertId(id: unknown, call: string): asserts id is string {
  if (typeof id === 'string' && id.length > 0) return;
  refuse(`${call} id`, [{ path: 'id', message: `must be a non-empty string, got ${describe(id)}` }]);
}

/**
 * Refuses `listDead` options that are not usable.
 *
 * @param options - what the caller passed
 * @throws {@link ValidationError} naming `limit`, `afterId`, `account` or `category`
 */
export function assertListDeadOptions(options: unknown): asserts options is ListDeadOptions {
  if (typeof options !== 'object' || options === null) {
    refuse('listDead options', [{ path: 'options', message: `must be an object, got ${describe(options)}` }]);
    return;
  }
  const { limit, afterId, account, category } = options as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  accountIssue(issues, account, 'account', true);
  if (category !== undefined && (typeof category !== 'string' || category.length === 0)) {
    issues.push({
      path: 'category',
      message: `must be a non-empty string when given, got ${describe(category)}`,
    });
  }
  if (limit !== undefined && !(typeof limit === 'number' && Number.isSafeInteger(limit) && limit > 0)) {
    issues.push({ path: 'limit', message: `must be a positive integer when given, got ${describe(limit)}` });
  }
  if (afterId !== undefined && (typeof afterId !== 'string' || afterId.length === 0)) {
    issues.push({
      path: 'afterId',
      message: `must be a non-empty string when given, got ${describe(afterId)}`,
    });
  }
  refuse('listDead options', issues);
}

/**
 * Refuses a `requeue` argument that is neither `'all-dead'` nor an array of ids.
 *
 * @param ids - what the caller passed
 * @throws {@link ValidationError} naming `ids`, or `[index]` for an id that is not a non-empty string
 */
export function assertRequeueIds(ids: unknown): asserts ids is readonly string[] | 'all-dead' {
  if (ids === 'all-dead') return;
  if (!Array.isArray(ids)) {
    refuse('requeue ids', [
      { path: 'ids', message: `must be an array of ids or "all-dead", got ${describe(ids)}` },
    ]);
    return;
  }
  const issues: ValidationIssue[] = [];
  for (let index = 0; index < ids.length; index++) {
    const id: unknown = ids[index];
    if (typeof id !== 'string' || id.length === 0) {
      issues.push({ path: `[${index}]`, message: `must be a non-empty string, got ${describe(id)}` });
    }
  }
  refuse('requeue ids', issues);
}

/**
 * Refuses `prune` options that are not usable. The retention is an age, not a timer, so it may exceed
 * {@link MAX_DELAY_MS} (30 days is about 2.6e9 ms).
 *
 * @param options - what the caller passed
 * @throws {@link ValidationError} naming `olderThanMs` or `deadOlderThanMs`
 */
export function assertPruneOptions(options: unknown): asserts options is PruneOptions {
  if (typeof options !== 'object' || options === null) {
    refuse('prune options', [{ path: 'options', message: `must be an object, got ${describe(options)}` }]);
    return;
  }
  const issues: ValidationIssue[] = [];
  for (const field of ['olderThanMs', 'deadOlderThanMs'] as const) {
    const value = (options as Record<string, unknown>)[field];
    if (value !== undefined && !(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)) {
      issues.push({
        path: field,
        message: `must be a whole number of ms ≥ 0 when given, got ${describe(value)}`,
      });
    }
  }
  refuse('prune options', issues);
}

/**
 * Refuses a budget key that is not a non-empty string.
 *
 * @param key - what the caller passed
 * @throws {@link ValidationError} naming `key`
 */
export function assertBudgetKey(key: unknown): asserts key is string {
  if (typeof key === 'string' && key.length > 0) return;
  refuse('budget key', [{ path: 'key', message: `must be a non-empty string, got ${describe(key)}` }]);
}

/**
 * Refuses a budget pause that is not usable.
 *
 * @param key - the budget's key
 * @param delayMs - how long
 * @param reason - why
 * @throws {@link ValidationError} naming `key`, `delayMs` or `reason`
 */
export function assertBudgetPause(key: unknown, delayMs: unknown, reason: unknown): void {
  const issues: ValidationIssue[] = [];
  if (typeof key !== 'string' || key.length === 0) {
    issues.push({ path: 'key', message: `must be a non-empty string, got ${describe(key)}` });
  }
  if (!isDelay(delayMs))
    issues.push({ path: 'delayMs', message: `must be ${DELAY_WORDS}, got ${describe(delayMs)}` });
  if (typeof reason !== 'string')
    issues.push({ path: 'reason', message: `must be a string, got ${describe(reason)}` });
  refuse('budget pause', issues);
}

/** Adds an issue for an account id that is not usable (`undefined` is fine when `optional`). */
function accountIssue(issues: ValidationIssue[], value: unknown, path: string, optional: boolean): void {
  if (optional && value === undefined) return;
  if (!isAccount(value)) issues.push({ path, message: `${ACCOUNT_WORDS}, got ${describe(value)}` });
}

/**
 * Refuses an account id that is not usable: 1 to 64 characters of `[A-Za-z0-9._:-]`. `undefined` passes (the
 * calls that take one default it).
 *
 * @param account - what the caller passed
 * @param call - the method, for the message (e.g. `stats`)
 * @throws {@link ValidationError} naming `account`
 */
export function assertAccount(account: unknown, call: string): asserts account is string | undefined {
  const issues: ValidationIssue[] = [];
  accountIssue(issues, account, 'account', true);
  refuse(`${call} account`, issues);
}

/**
 * Refuses `discard` options that are not usable.
 *
 * @param options - what the caller passed
 * @throws {@link ValidationError} naming `account` (required) or `reason`
 */
export function assertDiscardOptions(options: unknown): asserts options is DiscardOptions {
  if (typeof options !== 'object' || options === null) {
    refuse('discard options', [{ path: 'options', message: `must be an object, got ${describe(options)}` }]);
    return;
  }
  const { account, reason } = options as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  accountIssue(issues, account, 'account', false);
  if (reason !== undefined && (typeof reason !== 'string' || reason.length === 0)) {
    issues.push({
      path: 'reason',
      message: `must be a non-empty string when given, got ${describe(reason)}`,
    });
  }
  refuse('discard options', issues);
}

/**
 * Refuses a budget window that is not usable, and its key.
 *
 * @param key - the budget's key
 * @param window - the limit
 * @throws {@link ValidationError} naming `key`, `requests` or `windowMs`
 */
export function assertBudgetWindow(key: unknown, window: unknown): asserts window is BudgetWindow {
  const issues: ValidationIssue[] = [];
  if (typeof key !== 'string' || key.length === 0) {
    issues.push({ path: 'key', message: `must be a non-empty string, got ${describe(key)}` });
  }
  const { requests, windowMs } = (typeof window === 'object' && window !== null ? window : {}) as Record<
    string,
    unknown
  >;
  if (!(typeof requests === 'number' && Number.isSafeInteger(requests) && requests > 0)) {
    issues.push({ path: 'requests', message: `must be a positive integer, got ${describe(requests)}` });
  }
  if (
    !(
      typeof windowMs === 'number' &&
      Number.isSafeInteger(windowMs) &&
      windowMs > 0 &&
      windowMs <= MAX_DELAY_MS
    )
  ) {
    issues.push({
      path: 'windowMs',
      message: `must be a whole number of ms from 1 to ${MAX_DELAY_MS}, got ${describe(windowMs)}`,
    });
  }
  refuse('budget window', issues);
}

/**
 * Refuses a budget slot (and its key) that is not a non-empty string.
 *
 * @param key - the budget's key
 * @param slot - what `take` gave
 * @throws {@link ValidationError} naming `key` or `slot`
 */
export function assertBudgetSlot(key: unknown, slot: unknown): void {
  const issues: ValidationIssue[] = [];
  if (typeof key !== 'string' || key.length === 0) {
    issues.push({ path: 'key', message: `must be a non-empty string, got ${describe(key)}` });
  }
  if (typeof slot !== 'string' || slot.length === 0) {
    issues.push({ path: 'slot', message: `must be a non-empty string, got ${describe(slot)}` });
  }
  refuse('budget slot', issues);
}
