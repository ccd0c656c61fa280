import {
  isLogger,
  type Logger,
  NORMALIZE_DEFAULTS,
  silentLogger,
  type TemplateChecker,
  ValidationError,
  type ValidationIssue,
} from '@hubline/core';
import {
  ACCEPT_EVERY_TEMPLATE,
  type CapacityPolicy,
  checkedClock,
  isTemplateChecker,
  LIMIT,
  type NumberRule,
  POSITIVE_INTEGER,
} from '@hubline/core/store';
import type { Pool } from 'pg';
import { POSTGRES_OUTBOX_DEFAULTS } from './defaults.js';
import type { PostgresOutboxOptions } from './postgres-outbox-options.js';

/** {@link PostgresOutboxOptions} checked, with every default filled in. */
export interface ResolvedOptions {
  /** The URL, when the store opens its own pool. */
  readonly connectionString: string | undefined;
  /** The app's pool, when it gave one. */
  readonly pool: Pool | undefined;
  /** The schema, a plain identifier. */
  readonly schema: string;
  /** Connections of the store's own pool. */
  readonly poolSize: number;
  /** The injected clock, checked on every reading; `undefined` for the server's clock. */
  readonly clock: (() => number) | undefined;
  /** Where the store reports. */
  readonly logger: Logger;
  /** The entry cap. */
  readonly maxEntries: number;
  /** The byte cap. */
  readonly maxBytes: number;
  /** What a record beyond the caps does. */
  readonly capacityPolicy: CapacityPolicy;
  /** The largest event. */
  readonly maxEventBytes: number;
  /** The app's templates, or a checker that accepts every event. */
  readonly templates: TemplateChecker;
}

/** A schema name the store quotes into its SQL: a plain identifier, at most PostgreSQL's 63 bytes. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Checks the options of `openPostgresOutbox` and fills in the defaults.
 *
 * @param options - what the caller passed
 * @throws {@link ValidationError} naming every option that is not usable (never quoting the connection string)
 */
export function resolveOptions(options: PostgresOutboxOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('postgres outbox options', [{ path: 'options', message: 'must be an object' }]);
  }
  const issues: ValidationIssue[] = [];
  const numeric = (name: keyof PostgresOutboxOptions, fallback: number, rule: NumberRule): number => {
    const value = (options[name] as number | undefined) ?? fallback;
    if (!rule.accepts(value)) issues.push({ path: name, message: `must be ${rule.words}, got ${value}` });
    return value;
  };
  checkConnection(options, issues);
  const schema = options.schema ?? POSTGRES_OUTBOX_DEFAULTS.schema;
  if (typeof schema !== 'string' || !IDENTIFIER.test(schema)) {
    issues.push({
      path: 'schema',
      message: 'must be a plain identifier: a letter or _, then letters, digits or _, at most 63',
    });
  }
  const { clock, logger = silentLogger, capacityPolicy = 'reject' } = options;
  const templates = options.templates ?? ACCEPT_EVERY_TEMPLATE;
  checkBehaviour({ clock, logger, capacityPolicy, templates }, issues);
  const resolved: ResolvedOptions = {
    connectionString: options.connectionString,
    pool: options.pool,
    schema,
    poolSize: numeric('poolSize', POSTGRES_OUTBOX_DEFAULTS.poolSize, POSITIVE_INTEGER),
    clock: clock === undefined ? undefined : checkedClock(clock, 'postgres outbox clock'),
    logger,
    maxEntries: numeric('maxEntries', Number.POSITIVE_INFINITY, LIMIT),
    maxBytes: numeric('maxBytes', Number.POSITIVE_INFINITY, LIMIT),
    capacityPolicy,
    maxEventBytes: numeric('maxEventBytes', NORMALIZE_DEFAULTS.maxEventBytes, POSITIVE_INTEGER),
    templates,
  };
  if (issues.length > 0) throw new ValidationError('postgres outbox options', issues);
  return resolved;
}

/** Adds an issue unless exactly one of `connectionString` (a PostgreSQL URL) and `pool` (a `pg` pool) is given. */
function checkConnection(options: PostgresOutboxOptions, issues: ValidationIssue[]): void {
  const { connectionString, pool } = options;
  if ((connectionString === undefined) === (pool === undefined)) {
    issues.push({ path: 'connectionString', message: 'give exactly one of connectionString and pool' });
  } else if (connectionString !== undefined && !isPostgresUrl(connectionString)) {
    // The value itself is left out of the message: it may hold a password.
    issues.push({ path: 'connectionString', message: 'must be a postgres:// or postgresql:// URL' });
  } else if (pool !== undefined && typeof (pool as { connect?: unknown }).connect !== 'function') {
    issues.push({ path: 'pool', message: "must be a pg Pool (new Pool(…) from 'pg')" });
  }
}

/** Adds an issue for each of the clock, logger, capacity policy and templates that is not usable. */
function checkBehaviour(
  options: {
    readonly clock: unknown;
    readonly logger: unknown;
    readonly capacityPolicy: unknown;
    readonly templates: unknown;
  },
  issues: ValidationIssue[],
): void {
  const { clock, logger, capacityPolicy, templates } = options;
  if (clock !== undefined && typeof clock !== 'function') {
    issues.push({ path: 'clock', message: 'must be a function returning epoch ms' });
  }
  if (!isLogger(logger))
    issues.push({ path: 'logger', message: 'must have debug, info, warn and error methods' });
  if (capacityPolicy !== 'reject' && capacityPolicy !== 'evict-oldest') {
    issues.push({
      path: 'capacityPolicy',
      message: `must be "reject" or "evict-oldest", got ${String(capacityPolicy)}`,
    });
  }
  if (!isTemplateChecker(templates)) {
    issues.push({ path: 'templates', message: 'must be a template checker (an object with a check method)' });
  }
}

/** Whether `value` parses as a PostgreSQL URL. */
function isPostgresUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'postgres:' || protocol === 'postgresql:';
  } catch {
    return false;
  }
}
