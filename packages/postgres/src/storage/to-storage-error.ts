import { isHublineError, StorageError } from '@hubline/core';
import { DrizzleQueryError } from 'drizzle-orm';

/** Plain words for the SQLSTATE classes and codes, and the socket errors, a user is likely to meet. */
const EXPLANATIONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'nothing accepts connections there (is the server running, on that host and port?)',
  ENOTFOUND: 'the host name does not resolve',
  ETIMEDOUT: 'the connection timed out',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
  '08': 'the connection to the server failed',
  '28': 'the server refused the user or its password',
  '3D000': 'the database does not exist',
  '3F000': 'the schema does not exist',
  '42P01': "a table of the store is missing (was the schema dropped, or is the search path someone else's?)",
  '42501': 'the user lacks a privilege the store needs',
  '53100': "the server's disk is full",
  '53200': 'the server is out of memory',
  '53300': 'the server has no connection slot left (max_connections)',
  '57014': 'the statement was cancelled (statement_timeout, or a cancel request)',
  '57P01': 'the server is shutting down',
  '57P02': 'the server crashed',
  '57P03': 'the server is not accepting connections yet',
  '40001': 'a serialization failure: retry the transaction',
  '40P01': 'a deadlock was detected: retry the transaction',
  '25P01': 'there is no transaction: pass a client inside BEGIN … COMMIT',
  '25P02': 'the transaction is aborted: an earlier statement in it failed, so roll it back',
  '55P03': 'a lock could not be taken in time (lock_timeout)',
};

/**
 * Normalises anything thrown while talking to PostgreSQL into a {@link StorageError} (`STORAGE_FAILED`) naming
 * what was being done and where, with the driver's error as `cause`. Hubline errors pass through unchanged. The
 * message never holds the connection string's password: `target` is described without it, and `secret` is
 * blotted out of the driver's words should they ever quote it.
 *
 * @param error - what was thrown
 * @param action - what the store was doing, e.g. `claim`
 * @param target - the server and schema, without the password (see `describeTarget`)
 * @param secret - the password, if any, to keep out of the message
 */
export function toStorageError(error: unknown, action: string, target: string, secret?: string): Error {
  if (isHublineError(error)) return error as Error;
  const driverError = driverErrorOf(error);
  const code =
    typeof driverError === 'object' && driverError !== null
      ? (driverError as { code?: unknown }).code
      : undefined;
  const explanation =
    typeof code === 'string' ? (EXPLANATIONS[code] ?? EXPLANATIONS[code.slice(0, 2)]) : undefined;
  const raw = driverError instanceof Error ? driverError.message : String(driverError);
  const detail = secret === undefined || secret === '' ? raw : raw.split(secret).join('***');
  const words = explanation === undefined ? detail : `${explanation} (${detail})`;
  return new StorageError(`PostgreSQL outbox ${action} failed on ${target}: ${words}`, { cause: error });
}

/**
 * The driver's own error inside drizzle's `DrizzleQueryError`, whose message quotes the query and its parameters
 * (event content: emails, tokens), which must stay out of messages and logs. Anything else as it is.
 */
function driverErrorOf(error: unknown): unknown {
  return error instanceof DrizzleQueryError && error.cause !== undefined ? error.cause : error;
}
