import { isLogger, NORMALIZE_DEFAULTS, silentLogger, ValidationError } from '@hubline/core';
import {
  ACCEPT_EVERY_TEMPLATE,
  checkedClock,
  isTemplateChecker,
  LIMIT,
  MAX_DELAY_MS,
  NON_NEGATIVE_INTEGER,
  type NumberRule,
  POSITIVE_INTEGER,
} from '@hubline/core/store';
import { OUTBOX_DEFAULTS } from './defaults.js';
import type { OutboxOptions } from './outbox-options.js';

/** A duration a timer or SQLite's busy handler waits: whole ms, up to what a timer can hold. */
const DURATION: NumberRule = {
  words: `a whole number of ms from 0 to ${MAX_DELAY_MS} (2^31 - 1)`,
  accepts: (value) => Number.isSafeInteger(value) && value >= 0 && value <= MAX_DELAY_MS,
};

/** {@link OutboxOptions} with every default filled in and every value checked. */
export type ResolvedOptions = Required<OutboxOptions>;

/**
 * Checks the options of `openOutbox` and fills in the defaults.
 *
 * @param options - what the caller passed
 * @returns the options to open with
 * @throws {@link ValidationError} naming every option that is not usable
 */
export function resolveOptions(options: OutboxOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('outbox options', [
      { path: 'options', message: 'must be an object with at least a path' },
    ]);
  }
  const issues: { path: string; message: string }[] = [];
  /** `value`, or `fallback` when it is absent; an issue naming the option when `rule` refuses it. */
  const numeric = (
    name: keyof OutboxOptions,
    value: number | undefined,
    fallback: number,
    rule: NumberRule,
  ): number => {
    if (value === undefined) return fallback;
    if (!rule.accepts(value)) issues.push({ path: name, message: `must be ${rule.words}, got ${value}` });
    return value;
  };
  if (typeof options.path !== 'string' || options.path.length === 0) {
    issues.push({ path: 'path', message: 'must be a file path or ":memory:"' });
  }
  const durability = oneOf(issues, 'durability', options.durability ?? 'normal', ['normal', 'full'] as const);
  const capacityPolicy = oneOf(issues, 'capacityPolicy', options.capacityPolicy ?? 'reject', [
    'reject',
    'evict-oldest',
  ] as const);
  const integrityCheck = oneOf(issues, 'integrityCheck', options.integrityCheck ?? 'off', [
    'off',
    'quick',
    'full',
  ] as const);
  const busyTimeoutMs = numeric(
    'busyTimeoutMs',
    options.busyTimeoutMs,
    OUTBOX_DEFAULTS.busyTimeoutMs,
    DURATION,
  );
  const { clock, logger, templates } = resolveHooks(options, issues);
  const resolved: ResolvedOptions = {
    path: options.path,
    durability,
    busyTimeoutMs,
    clock: checkedClock(clock),
    logger,
    maxEntries: numeric('maxEntries', options.maxEntries, Number.POSITIVE_INFINITY, LIMIT),
    maxBytes: numeric('maxBytes', options.maxBytes, Number.POSITIVE_INFINITY, LIMIT),
    capacityPolicy,
    maxEventBytes: numeric(
      'maxEventBytes',
      options.maxEventBytes,
      NORMALIZE_DEFAULTS.maxEventBytes,
      POSITIVE_INTEGER,
    ),
    cacheSizeKiB: numeric(
      'cacheSizeKiB',
      options.cacheSizeKiB,
      OUTBOX_DEFAULTS.cacheSizeKiB,
      NON_NEGATIVE_INTEGER,
    ),
    mmapSizeBytes: numeric(
      'mmapSizeBytes',
      options.mmapSizeBytes,
      OUTBOX_DEFAULTS.mmapSizeBytes,
      NON_NEGATIVE_INTEGER,
    ),
    checkpointPages: numeric(
      'checkpointPages',
      options.checkpointPages,
      OUTBOX_DEFAULTS.checkpointPages,
      POSITIVE_INTEGER,
    ),
    integrityCheck,
    templates,
  };
  if (issues.length > 0) throw new ValidationError('outbox options', issues);
  return resolved;
}

/** `value` when it is one of `allowed`; otherwise an issue naming the option, listing what it may be. */
function oneOf<T extends string>(
  issues: { path: string; message: string }[],
  name: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (!(allowed as readonly unknown[]).includes(value)) {
    const quoted = allowed.map((choice) => `"${choice}"`);
    const words = `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
    issues.push({ path: name, message: `must be ${words}, got ${String(value)}` });
  }
  return value as T;
}

/** The clock, logger and templates, defaulted; an issue naming each that is not usable. */
function resolveHooks(
  options: OutboxOptions,
  issues: { path: string; message: string }[],
): Pick<ResolvedOptions, 'logger' | 'templates'> & { readonly clock: () => number } {
  const clock = options.clock ?? Date.now;
  if (typeof clock !== 'function') {
    issues.push({ path: 'clock', message: `must be a function returning epoch ms, got a ${typeof clock}` });
  }
  const logger = options.logger ?? silentLogger;
  if (!isLogger(logger)) {
    issues.push({ path: 'logger', message: 'must be an object with debug, info, warn and error methods' });
  }
  const templates = options.templates ?? ACCEPT_EVERY_TEMPLATE;
  if (!isTemplateChecker(templates)) {
    issues.push({ path: 'templates', message: 'must be a template checker (an object with a check method)' });
  }
  return { clock, logger, templates };
}
