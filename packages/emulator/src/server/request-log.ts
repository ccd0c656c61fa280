import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { EmulatorCounters, RequestLogEntry } from '../emulator-types.js';
import type { RateBudgetLeft, RateLimitSettings } from '../limits/rate-limiter.js';

/** What the emulator knows about one request while it is answered. */
export interface RequestState {
  /** Its request log entry. */
  readonly entry: RequestLogEntry;
  /** `performance.now()` at arrival. */
  readonly t0: number;
  /** The rate budget the answer's headers report: the credential's, once known. */
  budget?: {
    /** The limiter key of the budget, e.g. `account:123`. */
    readonly key: string;
    /** The limits of that budget, reported in the `X-HubSpot-RateLimit-*` headers. */
    readonly settings: RateLimitSettings;
  };
  /** The limiter's verdict, once it was consulted; until then the headers report the budget left. */
  rate?: RateBudgetLeft;
}

/** The token in the path of the OAuth metadata routes; the log keeps a placeholder instead. */
const tokenInPath = /^(\/oauth\/v1\/(?:access|refresh)-tokens\/).+$/;

/** Counters at zero. */
function emptyCounters(): EmulatorCounters {
  return {
    requests: 0,
    eventsStored: 0,
    duplicateIdsSeen: 0,
    rateLimited: 0,
    faultsInjected: 0,
    resets: 0,
    byStatus: {},
  };
}

function copy(counters: EmulatorCounters): EmulatorCounters {
  return { ...counters, byStatus: { ...counters.byStatus } };
}

/**
 * The request log (bounded, oldest dropped first) and the running counters, in total and per account. Every
 * request but the control routes' arrives here; tokens never do (only their labels).
 */
export class RequestLog {
  readonly #max: number;
  readonly #clock: () => number;
  readonly #states = new WeakMap<IncomingMessage, RequestState>();
  #entries: RequestLogEntry[] = [];
  #total = emptyCounters();
  #byAccount = new Map<string, EmulatorCounters>();
  #seq = 0;

  /**
   * An empty log with every counter at zero.
   *
   * @param max - how many entries `requests()` keeps, the newest; older ones are dropped.
   * @param clock - the emulator's wall clock in epoch ms, which stamps each entry's `receivedAt`.
   */
  constructor(max: number, clock: () => number) {
    this.#max = max;
    this.#clock = clock;
  }

  /** Logs the arrival of a request, attributed to `account` when its credential names one. */
  arrive(raw: IncomingMessage, account: string | undefined): RequestState {
    this.#seq += 1;
    const url = raw.url ?? '/';
    const q = url.indexOf('?');
    const entry: RequestLogEntry = {
      seq: this.#seq,
      method: raw.method ?? 'GET',
      path: (q === -1 ? url : url.slice(0, q)).replace(tokenInPath, '$1{token}'),
      status: null,
      receivedAt: this.#clock(),
      ...(account === undefined ? {} : { account }),
    };
    this.#entries.push(entry);
    if (this.#entries.length > this.#max * 2) this.#entries = this.#entries.slice(-this.#max);
    const state: RequestState = { entry, t0: performance.now() };
    this.#states.set(raw, state);
    this.count(entry, (c) => {
      c.requests += 1;
    });
    return state;
  }

  /** The state of a logged request, undefined for the control routes'. */
  stateOf(raw: IncomingMessage): RequestState | undefined {
    return this.#states.get(raw);
  }

  /** Applies `change` to the total counters and to those of the request's account. */
  count(entry: RequestLogEntry, change: (counters: EmulatorCounters) => void): void {
    change(this.#total);
    if (entry.account === undefined) return;
    let counters = this.#byAccount.get(entry.account);
    if (counters === undefined) {
      counters = emptyCounters();
      this.#byAccount.set(entry.account, counters);
    }
    change(counters);
  }

  /** Records the status sent. */
  answered(state: RequestState, status: number): void {
    state.entry.status = status;
    this.ended(state);
    this.count(state.entry, (c) => {
      c.byStatus[status] = (c.byStatus[status] ?? 0) + 1;
      if (status === 429) c.rateLimited += 1;
    });
  }

  /** Records how long the request took (also for a connection destroyed without an answer). */
  ended(state: RequestState): void {
    state.entry.durationMs = performance.now() - state.t0;
  }

  /** A copy of the counters, in total or of one account (zero for an account that saw no request). */
  counters(account?: string): EmulatorCounters {
    if (account === undefined) return copy(this.#total);
    const counters = this.#byAccount.get(account);
    return counters === undefined ? emptyCounters() : copy(counters);
  }

  /** The log, oldest first (copies). */
  entries(): RequestLogEntry[] {
    return this.#entries.slice(-this.#max).map((e) => ({ ...e }));
  }

  /** Forgets the log and the counters. */
  clear(): void {
    this.#entries = [];
    this.#total = emptyCounters();
    this.#byAccount = new Map();
  }
}
