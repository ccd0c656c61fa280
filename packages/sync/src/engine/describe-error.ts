import { isHublineError } from '@hubline/core';

/**
 * A secret-free description of a thrown value for the logs: a Hubline error's code and message (written to be
 * safe), otherwise only the error's name, since a foreign error's message may quote a request or a token.
 *
 * @param error - what was thrown
 */
export function describeError(error: unknown): string {
  if (isHublineError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.name;
  return 'unknown error';
}
