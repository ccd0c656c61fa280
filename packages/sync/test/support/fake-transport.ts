import type { HttpAnswer } from '@hubline/core';
import type { SchedulerLike } from 'rxjs';
import type { Transport, TransportRequest } from '../../src/contracts.js';

/** One request as the fake transport saw it. */
export interface SeenRequest {
  readonly at: number;
  /** `POST` for a batch, `GET` for a read-back. */
  readonly method: 'POST' | 'GET';
  readonly ids: readonly string[];
  readonly accessToken: string;
}

/** Decides the answer to one request; may look at the ids and the token. */
export type Script = (ids: readonly string[], request: TransportRequest, index: number) => HttpAnswer;

/** A scripted transport that answers after `latencyMs` of scheduler time and counts concurrency. */
export interface FakeTransport {
  readonly transport: Transport;
  readonly requests: SeenRequest[];
  /** Highest number of requests in flight at once. */
  readonly maxConcurrent: number;
  script: Script;
}

/** A 201 answer. */
export const created = (): HttpAnswer => ({ kind: 'response', status: 201, headers: {}, body: '{}' });

/** An answer with a status and an optional body. */
export const answer = (status: number, body = '{}', headers: Record<string, string> = {}): HttpAnswer => ({
  kind: 'response',
  status,
  headers,
  body,
});

/** A transport failure. */
export const failure = (kind: 'timeout' | 'reset' | 'offline'): HttpAnswer => ({
  kind: 'failure',
  failure: kind,
  message: `fake ${kind}`,
});

/**
 * Create a fake transport.
 *
 * @param scheduler - time source for latency
 * @param latencyMs - virtual time each request takes
 */
export function createFakeTransport(scheduler: SchedulerLike, latencyMs = 100): FakeTransport {
  let concurrent = 0;
  const state: FakeTransport = {
    requests: [],
    maxConcurrent: 0,
    script: () => created(),
    transport: (request) => {
      const ids = idsOf(request);
      const index = state.requests.length;
      state.requests.push({
        at: scheduler.now(),
        method: request.method,
        ids,
        accessToken: request.accessToken,
      });
      concurrent += 1;
      (state as { maxConcurrent: number }).maxConcurrent = Math.max(state.maxConcurrent, concurrent);
      return new Promise<HttpAnswer>((resolve) => {
        const onAbort = (): void => {
          concurrent -= 1;
          action.unsubscribe();
          resolve({ kind: 'failure', failure: 'aborted', message: 'aborted' });
        };
        const action = scheduler.schedule(() => {
          request.signal?.removeEventListener('abort', onAbort);
          concurrent -= 1;
          resolve(state.script(ids, request, index));
        }, latencyMs);
        request.signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
  return state;
}

/** The ids a fake-dialect request is about: a batch body's `ids`, or the one id a read-back's path ends with. */
function idsOf(request: TransportRequest): string[] {
  if (request.method === 'GET') return [decodeURIComponent(request.path.split('/').at(-1) ?? '')];
  return (JSON.parse(request.body ?? '{"ids":[]}') as { ids: string[] }).ids;
}
