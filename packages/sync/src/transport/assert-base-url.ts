import { ValidationError, type ValidationIssue } from '@hubline/core';

/**
 * What is wrong with `value` as a base URL, for an options resolver that reports every bad field at once: it
 * must be an http(s) URL without user info, query string or fragment (a credential put there would end up in
 * log lines, error messages and the database), and without whitespace or control characters (which the URL
 * parser would silently drop). The messages never quote the value, since it may hold a credential.
 *
 * @param value - the candidate base URL.
 * @param field - the option's name, used as the issue's `path`.
 * @returns no issue, or one naming `field`.
 */
export function baseUrlIssues(value: unknown, field: string): ValidationIssue[] {
  const refuse = (message: string): ValidationIssue[] => [{ path: field, message }];
  if (typeof value !== 'string' || value.length === 0) return refuse('must be an http(s) URL string');
  if (/[\s\p{Cc}]/u.test(value)) return refuse('must not contain whitespace or control characters');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse('must be an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return refuse(`must be an http(s) URL, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    return refuse('must not carry user info (user:password@): a credential there would be logged and stored');
  }
  if (url.search !== '' || value.includes('?')) {
    return refuse('must not carry a query string: a credential there would be logged and stored');
  }
  if (url.hash !== '' || value.includes('#')) return refuse('must not carry a fragment');
  return [];
}

/**
 * Checks a base URL (see {@link baseUrlIssues}) and returns it without trailing slashes, ready to have a path
 * appended.
 *
 * @param value - the candidate base URL.
 * @param field - the option's name, which the error names.
 * @throws ValidationError (`VALIDATION_FAILED`) naming `field` when `value` is not an http(s) URL, or carries
 *   user info, a query string or a fragment.
 * @example
 * ```ts
 * assertBaseUrl('https://api.hubapi.com/', 'baseUrl'); // 'https://api.hubapi.com'
 * assertBaseUrl('https://user:secret@example.com', 'baseUrl'); // throws, naming baseUrl
 * ```
 */
export function assertBaseUrl(value: unknown, field: string): string {
  const issues = baseUrlIssues(value, field);
  if (issues.length > 0) throw new ValidationError('base URL', issues);
  return (value as string).replace(/\/+$/, '');
}
