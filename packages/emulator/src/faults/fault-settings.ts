import type {
  ApiFaultKind,
  FaultKind,
  FaultOptions,
  HostileAnswerKind,
  TokenFaultKind,
} from './fault-types.js';

/** The faults that fail visibly, in the fixed order the cumulative roll walks (changing it changes seeded runs). */
export const faultKinds: readonly FaultKind[] = Object.freeze([
  'error-500',
  'error-502',
  'error-503',
  'error-504',
  'rate-limit-burst',
  'locked-423',
  'migrating-477',
  'reset-before-store',
  'reset-after-store',
  'slow',
]);

/** The hostile answers, walked by the roll after {@link faultKinds} (so adding them left old seeded runs as they were). */
export const hostileAnswerKinds: readonly HostileAnswerKind[] = Object.freeze([
  'empty-200',
  'empty-200-stored',
  'html-200',
  'html-200-stored',
  'error-json-200',
  'error-json-200-stored',
  'junk-json-200',
  'junk-json-200-stored',
  'no-content-204',
  'no-content-204-stored',
  'status-299',
  'status-299-stored',
  'batch-pending',
  'batch-pending-delayed',
  'batch-processing',
  'batch-processing-delayed',
  'batch-canceled',
  'results-missing',
  'results-unsent-ids',
  'unattributed-exists',
  'unattributed-invalid',
  'oversized-body',
  'oversized-body-stored',
  'dripping-body',
  'dripping-body-stored',
]);

/** Every API fault, in roll order. */
export const apiFaultKinds: readonly ApiFaultKind[] = Object.freeze([...faultKinds, ...hostileAnswerKinds]);

/** The faults of the OAuth token endpoint, in roll order. */
export const tokenFaultKinds: readonly TokenFaultKind[] = Object.freeze([
  'token-reset',
  'token-error-500',
  'token-error-503',
  'token-html-200',
  'token-hang',
]);

/** Resolved fault settings. */
export type ResolvedFaults = Required<
  Omit<FaultOptions, 'rates' | 'sequence' | 'tokenRates' | 'tokenSequence'>
> & {
  /** The probability (0..1) of each API fault per request; a kind not listed never happens by chance. */
  readonly rates: Readonly<Partial<Record<ApiFaultKind, number>>>;
  /** The API faults still forced on the next requests, in order; empty once they are used up. */
  readonly sequence: readonly (ApiFaultKind | 'none')[];
  /** The probability (0..1) of each token-endpoint fault per `POST /oauth/v1/token`. */
  readonly tokenRates: Readonly<Partial<Record<TokenFaultKind, number>>>;
  /** The token-endpoint faults still forced on the next token requests, in order. */
  readonly tokenSequence: readonly (TokenFaultKind | 'none')[];
};

/** The settings in force when none are given. */
export const defaultFaults: ResolvedFaults = Object.freeze({
  seed: 1,
  latencyMs: 0,
  jitterMs: 0,
  rates: {},
  sequence: [],
  tokenRates: {},
  tokenSequence: [],
  htmlBodyRate: 0.5,
  burstLength: 3,
  retryAfterSeconds: 2,
  slowMs: 30_000,
  pendingMs: 2_000,
  oversizedBytes: 629_145_600,
  dripBytes: 4,
  dripIntervalMs: 1_000,
  dripMs: 600_000,
  hangMs: 600_000,
});

const numberFields = [
  'latencyMs',
  'jitterMs',
  'burstLength',
  'retryAfterSeconds',
  'slowMs',
  'htmlBodyRate',
  'pendingMs',
  'hangMs',
  'dripMs',
] as const;

/** The largest oversized body: a bound, so a typo cannot stream for hours. */
const maxOversizedBytes = 8 * 1024 ** 3;

function checkRates(name: 'rates' | 'tokenRates', rates: object, kinds: readonly string[]): void {
  for (const [kind, value] of Object.entries(rates)) {
    if (!kinds.includes(kind)) throw new TypeError(`faults.${name}.${kind}: unknown fault kind`);
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new TypeError(`faults.${name}.${kind}: must be a number in [0, 1]`);
    }
  }
}

function checkSequence(name: 'sequence' | 'tokenSequence', items: unknown, kinds: readonly string[]): void {
  if (items === undefined) return;
  if (!Array.isArray(items)) throw new TypeError(`faults.${name}: must be an array`);
  for (const item of items) {
    if (item !== 'none' && !kinds.includes(item))
      throw new TypeError(`faults.${name}: unknown fault kind ${item}`);
  }
}

/** Checks the number fields: finite and not negative, or (sizes and intervals) positive integers. */
function checkNumbers(faults: FaultOptions): void {
  for (const key of numberFields) {
    const value = faults[key];
    if (value !== undefined && !(typeof value === 'number' && value >= 0 && Number.isFinite(value))) {
      throw new TypeError(`faults.${key}: must be a finite number >= 0`);
    }
  }
  for (const key of ['oversizedBytes', 'dripBytes', 'dripIntervalMs'] as const) {
    const value = faults[key];
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      throw new TypeError(`faults.${key}: must be a positive integer`);
    }
  }
  if (faults.oversizedBytes !== undefined && faults.oversizedBytes > maxOversizedBytes) {
    throw new TypeError(`faults.oversizedBytes: at most ${maxOversizedBytes} (8 GiB)`);
  }
}

/** Checks fault settings, naming the field at fault. */
export function checkFaults(faults: FaultOptions): void {
  checkRates('rates', faults.rates ?? {}, apiFaultKinds);
  checkRates('tokenRates', faults.tokenRates ?? {}, tokenFaultKinds);
  checkSequence('sequence', faults.sequence, apiFaultKinds);
  checkSequence('tokenSequence', faults.tokenSequence, tokenFaultKinds);
  if (faults.seed !== undefined && !Number.isSafeInteger(faults.seed)) {
    throw new TypeError('faults.seed: must be an integer');
  }
  checkNumbers(faults);
}
