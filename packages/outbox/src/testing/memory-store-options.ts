import {
  isLogger,
  type Logger,
  silentLogger,
  type TemplateChecker,
  ValidationError,
  type ValidationIssue,
} from '@hubline/core';
import {
  ACCEPT_EVERY_TEMPLATE,
  type CapacityPolicy,
  isTemplateChecker,
  LIMIT,
  type NumberRule,
  POSITIVE_INTEGER,
} from '@hubline/core/store';

/** Options of `createMemoryStore`. */
export interface MemoryStoreOptions {
  /** Epoch-ms clock: in engine tests, the virtual scheduler's `now`. @default Date.now */
  readonly clock?: () => number;
  /** Where the store reports what the SQLite outbox would. @default silentLogger */
  readonly logger?: Logger;
  /** As `OutboxOptions.maxEntries`. @default Infinity */
  readonly maxEntries?: number;
  /** As `OutboxOptions.maxBytes`. @default Infinity */
  readonly maxBytes?: number;
  /** As `OutboxOptions.capacityPolicy`. @default 'reject' */
  readonly capacityPolicy?: CapacityPolicy;
  /** As `OutboxOptions.maxEventBytes`. @default 65536 */
  readonly maxEventBytes?: number;
  /** As `OutboxOptions.templates`. @default no checking */
  readonly templates?: TemplateChecker;
}

/** {@link MemoryStoreOptions} checked, with the defaults filled in. */
export type ResolvedMemoryOptions = Required<MemoryStoreOptions>;

/**
 * Checks the options of the memory store, naming each that is not usable, as `openOutbox` does its own.
 *
 * @param options - what the caller passed
 * @throws {@link ValidationError} naming each option
 */
export function resolveMemoryOptions(options: MemoryStoreOptions): ResolvedMemoryOptions {
  const issues: ValidationIssue[] = [];
  const { clock = Date.now, logger = silentLogger, capacityPolicy = 'reject' } = options;
  if (typeof clock !== 'function')
    issues.push({ path: 'clock', message: 'must be a function returning epoch ms' });
  if (!isLogger(logger))
    issues.push({ path: 'logger', message: 'must have debug, info, warn and error methods' });
  if (capacityPolicy !== 'reject' && capacityPolicy !== 'evict-oldest') {
    issues.push({ path: 'capacityPolicy', message: 'must be "reject" or "evict-oldest"' });
  }
  const numeric = (name: 'maxEntries' | 'maxBytes' | 'maxEventBytes', fallback: number, rule: NumberRule) => {
    const value = options[name] ?? fallback;
    if (!rule.accepts(value)) issues.push({ path: name, message: `must be ${rule.words}, got ${value}` });
    return value;
  };
  const templates = options.templates ?? ACCEPT_EVERY_TEMPLATE;
  if (!isTemplateChecker(templates)) {
    issues.push({ path: 'templates', message: 'must be a template checker (an object with a check method)' });
  }
  const resolved = {
    templates,
    clock,
    logger,
    capacityPolicy,
    maxEntries: numeric('maxEntries', Number.POSITIVE_INFINITY, LIMIT),
    maxBytes: numeric('maxBytes', Number.POSITIVE_INFINITY, LIMIT),
    maxEventBytes: numeric('maxEventBytes', 65_536, POSITIVE_INTEGER),
  };
  if (issues.length > 0) throw new ValidationError('memory store options', issues);
  return resolved;
}
