import {
  type HttpAnswer,
  type Interpretation,
  type InterpretContext,
  isHublineError,
  utf8ByteLength,
  type WireRequest,
} from '@hubline/core';
import type { ClaimedEntry } from '@hubline/outbox';
import type { RateGrant, TokenProvider } from '../contracts.js';
import { describeError } from './describe-error.js';
import type { EngineCounters } from './engine-counters.js';
import type { ResolvedSyncOptions } from './options.js';

/** One request's answer and what it means. */
export interface Exchanged {
  readonly answer: HttpAnswer;
  readonly interpretation: Interpretation;
}

/**
 * No access token could be had, so nothing was sent: what the engine should do about it. The token endpoint out of
 * reach means offline; answering 5xx or garbage means back off; refusing the refresh token means unauthorized.
 */
export interface TokenTrouble {
  readonly pause: 'offline' | 'backing-off' | 'unauthorized';
  /** Why, secret-free (the provider's own message). */
  readonly reason: string;
}

/** What a send produced: HubSpot's answer, or no token (nothing sent). */
export type ExchangeResult = Exchanged | { readonly noToken: TokenTrouble };

/** What an exchange needs from the engine around it. */
export interface ExchangeDeps {
  readonly config: ResolvedSyncOptions;
  readonly tokens: TokenProvider;
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
}

/** Sends batches: token, transport, interpretation, and one fresh token after a 401. */
export interface BatchExchange {
  /**
   * Send one request for these entries and interpret the answer; `undefined` when nothing was sent because the
   * engine stopped or paused while the access token was on its way. The grant is used when the request leaves,
   * or released when none does.
   */
  send(entries: readonly ClaimedEntry[], grant: RateGrant): Promise<ExchangeResult | undefined>;
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
        body: wire.body,
        accessToken: token,
        timeoutMs: config.requestTimeoutMs,
        signal: deps.signal,
      });
    } finally {
      inFlight -= 1;
    }
  };

  const send = async (
    entries: readonly ClaimedEntry[],
    firstGrant: RateGrant,
  ): Promise<ExchangeResult | undefined> => {
    const wire = encode(entries);
    const context: { now: number } & InterpretContext = {
      now: 0,
      requestBytes: () => utf8ByteLength(wire.body ?? ''),
    };
    let grant: RateGrant | undefined = firstGrant;
    let refreshed = false;
    try {
      for (;;) {
        let token: string | undefined;
        try {
          token = await deps.untilStopping(tokens.getToken({ baseUrl: config.baseUrl }));
        } catch (error) {
          return { noToken: troubleOf(error) };
        }
        // Stopping (or paused by another request's answer) while the token was on its way: nothing goes out.
        if (token === undefined || !deps.canSend()) return undefined;
        deps.tokenObtained();
        const answer = await request(wire, token, grant);
        context.now = deps.now();
        // The dialect reads only the ids of what was sent: the claimed entries, never parsed back into events.
        const interpretation = dialect.interpret(entries, answer, context);
        logger.debug('batch answered', {
          events: entries.length,
          ...(answer.kind === 'response' ? { status: answer.status } : { failure: answer.failure }),
        });
        if (interpretation.signal?.type === 'unauthorized' && !refreshed && !deps.signal.aborted) {
          // HubSpot refused this token: ask once for a fresh one and send the same batch again.
          refreshed = true;
          tokens.invalidate(token);
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
    send,
    get inFlight() {
      return inFlight;
    },
  };
}
