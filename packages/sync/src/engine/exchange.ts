import {
  type GlobalSignal,
  type HttpAnswer,
  type Interpretation,
  type InterpretContext,
  isHublineError,
  type RateLimitInfo,
  type ReadBackInterpretation,
  utf8ByteLength,
  type WireRequest,
} from '@hubline/core';
import type { ClaimedEntry } from '@hubline/core/store';
import type { RateGrant, TokenProvider } from '../contracts.js';
import { describeError } from './describe-error.js';
import type { EngineCounters } from './engine-counters.js';
import type { ResolvedSyncOptions } from './options.js';

/** One request's answer and what it means. */
export interface Exchanged<T = Interpretation> {
  /** What came back: HubSpot's (or a proxy's) answer, or the transport's failure. */
  readonly answer: HttpAnswer;
  /** What the dialect made of it: per-event verdicts (or a read-back's), a global signal, rate-limit headers. */
  readonly interpretation: T;
}

/**
 * No access token could be had, so nothing was sent: what the engine should do about it. The token endpoint out of
 * reach means offline; answering 5xx or garbage means back off; refusing the refresh token means unauthorized.
 */
export interface TokenTrouble {
  /** The pause to enter. */
  readonly pause: 'offline' | 'backing-off' | 'unauthorized';
  /** Why, secret-free (the provider's own message). */
  readonly reason: string;
}

/**
 * What a request produced: HubSpot's answer, or no token (nothing sent), or `undefined` when nothing was sent
 * because the engine stopped or paused while the access token was on its way.
 */
export type ExchangeResult<T = Interpretation> =
  | Exchanged<T>
  | {
      /** Why no token could be had, and how to pause. */
      readonly noToken: TokenTrouble;
    }
  | undefined;

/** Why a request did not go out: no token could be had, or (`undefined`) the engine stopped or paused meanwhile. */
type NotSent =
  | {
      /** Why no token could be had, and how to pause. */
      readonly noToken: TokenTrouble;
    }
  | undefined;

/** What every interpretation carries that the exchange itself acts on. */
type Answered = { readonly signal?: GlobalSignal; readonly rateLimit?: RateLimitInfo };

/** What an exchange needs from the engine around it. */
export interface ExchangeDeps {
  /** The engine's options: base URL, dialect, transport, timeout, logger. */
  readonly config: ResolvedSyncOptions;
  /** Where access tokens come from (and go back to when HubSpot refuses one). */
  readonly tokens: TokenProvider;
  /** The lane's counters: each request is counted. */
  readonly counters: EngineCounters;
  /** Scheduler time now. */
  now(): number;
  /** Whether a request may start now (not stopping, not paused). */
  canSend(): boolean;
  /** Wait for a slot of the rate budget; `undefined` when the wait was abandoned. */
  acquire(): Promise<RateGrant | undefined>;
  /** The promise's value, or `undefined` once the engine starts stopping. */
  untilStopping<T>(promise: Promise<T>): Promise<T | undefined>;
  /** Aborts requests in flight (the stop deadline). */
  readonly signal: AbortSignal;
  /** A request started or ended, or an answer arrived: the status and stats may have changed. */
  changed(): void;
  /** A token was obtained: the token source works again. */
  tokenObtained(): void;
  /** HubSpot's rate-limit headers on an answer, for the budget to pace the fleet by. */
  rateLimitSeen(info: RateLimitInfo): void;
}

/** Talks to HubSpot: token, transport, interpretation, and one fresh token after a 401. */
export interface BatchExchange {
  /** Send one batch of claimed entries. The grant is used when the request leaves, or released when none does. */
  send(entries: readonly ClaimedEntry[], grant: RateGrant): Promise<ExchangeResult>;
  /**
   * Read one event back (the dialect must have a read-back). The grant is used when the request leaves, or
   * released when none does.
   */
  readBack(entry: ClaimedEntry, grant: RateGrant): Promise<ExchangeResult<ReadBackInterpretation>>;
  /** Requests on the wire now. */
  readonly inFlight: number;
}

/**
 * Create the engine's exchange with HubSpot.
 *
 * @param deps - the engine around it
 */
export function createBatchExchange(deps: ExchangeDeps): BatchExchange {
  const { config, tokens, counters } = deps;
  const { dialect, logger } = config;
  let inFlight = 0;

  /** The dialect's request; from the stored JSON texts when it can take them, without re-serialising events. */
  const encode = (entries: readonly ClaimedEntry[]): WireRequest =>
    dialect.encodeJson === undefined
      ? dialect.encode(entries.map((entry) => entry.event))
      : dialect.encodeJson(entries.map((entry) => entry.json));

  /** What to do when the token source failed: its error's code says (see {@link TokenTrouble}). */
  const troubleOf = (error: unknown): TokenTrouble => {
    // The provider's own errors are secret-free by contract; still, only a Hubline error's message is kept.
    const reason = `no access token: ${describeError(error)}`;
    if (isHublineError(error, 'TOKEN_ENDPOINT_UNREACHABLE')) return { pause: 'offline', reason };
    if (isHublineError(error, 'TOKEN_ENDPOINT_FAILED')) return { pause: 'backing-off', reason };
    return { pause: 'unauthorized', reason };
  };

  const request = async (wire: WireRequest, token: string, grant: RateGrant): Promise<HttpAnswer> => {
    grant.use();
    inFlight += 1;
    counters.requests += 1;
    deps.changed();
    try {
      return await config.transport({
        baseUrl: config.baseUrl,
        path: wire.path,
        method: wire.method,
        ...(wire.body === undefined ? {} : { body: wire.body }),
        accessToken: token,
        timeoutMs: config.requestTimeoutMs,
        signal: deps.signal,
      });
    } finally {
      inFlight -= 1;
    }
  };

  /** A token for the next request, or why none goes out (no token, or stopping or paused meanwhile). */
  const tokenFor = async (): Promise<{ readonly token: string } | { readonly notSent: NotSent }> => {
    let token: string | undefined;
    try {
      token = await deps.untilStopping(tokens.getToken({ baseUrl: config.baseUrl }));
    } catch (error) {
      return { notSent: { noToken: troubleOf(error) } };
    }
    // Stopping (or paused by another request's answer) while the token was on its way: nothing goes out.
    if (token === undefined || !deps.canSend()) return { notSent: undefined };
    deps.tokenObtained();
    return { token };
  };

  /** Reads one answer: its meaning, the rate-limit headers it carried, a debug line. */
  const read = <T extends Answered>(
    wire: WireRequest,
    answer: HttpAnswer,
    interpret: (answer: HttpAnswer, context: InterpretContext) => T,
  ): T => {
    const interpretation = interpret(answer, {
      now: deps.now(),
      requestBytes: () => utf8ByteLength(wire.body ?? ''),
    });
    if (interpretation.rateLimit !== undefined) deps.rateLimitSeen(interpretation.rateLimit);
    logger.debug(wire.method === 'GET' ? 'read-back answered' : 'batch answered', {
      ...(answer.kind === 'response' ? { status: answer.status } : { failure: answer.failure }),
    });
    return interpretation;
  };

  /** One request, with a fresh token and a second try when HubSpot refuses the first token. */
  const exchange = async <T extends Answered>(
    wire: WireRequest,
    firstGrant: RateGrant,
    interpret: (answer: HttpAnswer, context: InterpretContext) => T,
  ): Promise<ExchangeResult<T>> => {
    let grant: RateGrant | undefined = firstGrant;
    let refreshed = false;
    try {
      for (;;) {
        const step = await tokenFor();
        if ('notSent' in step) return step.notSent;
        const answer = await request(wire, step.token, grant);
        const interpretation = read(wire, answer, interpret);
        if (interpretation.signal?.type === 'unauthorized' && !refreshed && !deps.signal.aborted) {
          // HubSpot refused this token: ask once for a fresh one and send the same request again.
          refreshed = true;
          tokens.invalidate(step.token);
          grant = await deps.acquire();
          if (grant !== undefined) continue;
        }
        deps.changed();
        return { answer, interpretation };
      }
    } finally {
      grant?.release();
    }
  };

  return {
    // The dialect reads only the ids of what was sent: the claimed entries, never parsed back into events.
    send: (entries, grant) =>
      exchange(encode(entries), grant, (answer, context) => dialect.interpret(entries, answer, context)),
    readBack(entry, grant) {
      const { readBack, interpretReadBack } = dialect;
      if (readBack === undefined || interpretReadBack === undefined) {
        throw new Error(`the ${dialect.name} dialect has no read-back`);
      }
      const wire = readBack.call(dialect, { id: entry.id, eventTemplateId: entry.event.eventTemplateId });
      return exchange(wire, grant, (answer, context) =>
        interpretReadBack.call(dialect, entry.id, answer, context),
      );
    },
    get inFlight() {
      return inFlight;
    },
  };
}
