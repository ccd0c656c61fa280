import { ValidationError, type ValidationIssue } from '../../errors/validation-error.js';
import { ACCOUNT_WORDS, isAccount } from '../../event/account.js';
import type { RequeueTarget } from '../../store/records.js';
import { describeValue as describe } from './describe-value.js';
import { assertRequeueIds } from './validate-arguments.js';

/** The problems of a `{ account?, category? }` filter. */
function filterIssues(filter: object): ValidationIssue[] {
  const { account, category, ...rest } = filter as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  if (account !== undefined && !isAccount(account)) {
    issues.push({ path: 'account', message: `${ACCOUNT_WORDS}, got ${describe(account)}` });
  }
  if (category !== undefined && (typeof category !== 'string' || category.length === 0)) {
    issues.push({
      path: 'category',
      message: `must be a non-empty string when given, got ${describe(category)}`,
    });
  }
  for (const key of Object.keys(rest)) {
    issues.push({ path: key, message: 'is not a known filter (account, category)' });
  }
  return issues;
}

/** The problems of requeue options, given the target they go with. */
function optionIssues(target: RequeueTarget, options: unknown): ValidationIssue[] {
  if (typeof options !== 'object' || options === null) {
    return [{ path: 'options', message: `must be an object, got ${describe(options)}` }];
  }
  const { amend, by } = options as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  if (by !== undefined && (typeof by !== 'string' || by.length === 0)) {
    issues.push({ path: 'by', message: `must be a non-empty string when given, got ${describe(by)}` });
  }
  if (amend !== undefined && !(Array.isArray(target) && target.length === 1)) {
    issues.push({ path: 'amend', message: 'amends one dead letter: give exactly one id' });
  }
  return issues;
}

/**
 * Refuses a `requeue` call that is not usable: a target that is neither an array of ids, `'all-dead'` nor a
 * `{ account?, category? }` filter; options that are not an object; `by` that is not a non-empty string; an
 * `amend` with anything but exactly one id. The patch itself is checked when it is applied (`prepareAmendment`).
 *
 * @param target - what the caller passed as the dead letters to requeue
 * @param options - what the caller passed as options
 * @throws {@link ValidationError} naming `ids`, `[index]`, `account`, `category`, `by` or `amend`
 */
export function assertRequeue(target: unknown, options: unknown): asserts target is RequeueTarget {
  if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
    const issues = filterIssues(target);
    if (issues.length > 0) throw new ValidationError('requeue filter', issues);
  } else {
    assertRequeueIds(target);
  }
  const issues = optionIssues(target as RequeueTarget, options);
  if (issues.length > 0) throw new ValidationError('requeue options', issues);
}
