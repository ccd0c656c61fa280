import type { EventOutcome, HttpAnswer, Interpretation, SentEvent, WireDialect } from '@hubline/core';

/**
 * A dialect with simple, fixed rules, so engine tests do not depend on how core reads HubSpot's bodies:
 * 201 delivers all; 5xx and timeouts are unknown outcomes (an attempt each); a read-back (GET) finds an event on
 * 200 and not on 404; 207 with body `{"dead":[ids],"unknown":[ids]}`; 400 isolates a group and kills a single
 * event; 401/403/429/413/423/5xx and transport failures as in DESIGN.md's answer table.
 */
export const fakeDialect: WireDialect = {
  name: 'fake',
  encode(events) {
    return {
      method: 'POST',
      path: '/fake/batch',
      body: JSON.stringify({ ids: events.map((event) => event.id) }),
    };
  },
  interpret(sent, answer) {
    return interpretFake(sent, answer);
  },
  readBack(event) {
    return { method: 'GET', path: `/fake/events/${encodeURIComponent(event.id)}` };
  },
  interpretReadBack(_id, answer) {
    if (answer.kind === 'response' && answer.status === 200) return { verdict: { type: 'found' } };
    if (answer.kind === 'response' && answer.status === 404) {
      return { verdict: { type: 'absent', reason: 'no such event' } };
    }
    const reason = answer.kind === 'response' ? `HTTP ${answer.status}` : answer.failure;
    return { verdict: { type: 'unknown', reason } };
  },
};

function all(sent: readonly SentEvent[], make: (id: string) => EventOutcome): EventOutcome[] {
  return sent.map((event) => make(event.id));
}

function interpretFake(sent: readonly SentEvent[], answer: HttpAnswer): Interpretation {
  const retry = (countsAsAttempt: boolean, reason: string, status?: number, delayMs?: number) =>
    all(sent, (id) => ({
      type: 'retry',
      id,
      countsAsAttempt,
      reason,
      ...(status === undefined ? {} : { status }),
      ...(delayMs === undefined ? {} : { delayMs }),
    }));
  const unknown = (reason: string, status?: number) =>
    all(sent, (id) => ({
      type: 'unknown',
      id,
      countsAsAttempt: true,
      reason,
      ...(status === undefined ? {} : { status }),
    }));
  if (answer.kind === 'failure') {
    if (answer.failure === 'offline') {
      return { outcomes: retry(false, answer.message), signal: { type: 'offline', message: answer.message } };
    }
    if (answer.failure === 'aborted') return { outcomes: retry(false, answer.message) };
    return { outcomes: unknown(answer.message) };
  }
  const { status, body, headers } = answer;
  if (status === 201)
    return {
      outcomes: all(sent, (id) => ({ type: 'delivered', id, alreadyExisted: false, evidence: 'result' })),
    };
  if (status === 207) {
    const parsed = JSON.parse(body) as { dead?: string[]; unknown?: string[]; existed?: string[] };
    return {
      outcomes: all(sent, (id) => {
        if (parsed.dead?.includes(id)) {
          return { type: 'dead', id, category: 'VALIDATION_ERROR', message: `bad ${id}`, status: 400 };
        }
        if (parsed.unknown?.includes(id))
          return { type: 'isolate', id, reason: 'unattributed error', status: 207 };
        const existed = parsed.existed?.includes(id) ?? false;
        return {
          type: 'delivered',
          id,
          alreadyExisted: existed,
          evidence: existed ? 'already-exists' : 'result',
        };
      }),
    };
  }
  if (status === 400) {
    if (sent.length > 1) {
      return { outcomes: all(sent, (id) => ({ type: 'isolate', id, reason: body, status })) };
    }
    return {
      outcomes: all(sent, (id) => ({
        type: 'dead',
        id,
        category: 'VALIDATION_ERROR',
        message: body,
        status,
      })),
    };
  }
  if (status === 401) {
    return {
      outcomes: retry(false, 'unauthorized', status),
      signal: { type: 'unauthorized', category: 'EXPIRED_AUTHENTICATION', message: 'token expired' },
    };
  }
  if (status === 403) {
    return {
      outcomes: retry(false, 'forbidden', status),
      signal: { type: 'forbidden', category: 'MISSING_SCOPES', message: 'missing scope timeline' },
    };
  }
  if (status === 413) {
    return {
      outcomes: retry(false, 'too large', status),
      signal: { type: 'payload-too-large', maxBytes: Number(headers['x-max-bytes'] ?? '1000000') },
    };
  }
  if (status === 423) return { outcomes: retry(false, 'locked', status, 2000) };
  if (status === 429) {
    const policy = body.includes('DAILY') ? 'DAILY' : 'TEN_SECONDLY_ROLLING';
    const delayMs = policy === 'DAILY' ? 3_600_000 : 10_000;
    return {
      outcomes: retry(false, 'rate limited', status, delayMs),
      signal: { type: 'rate-limited', policy, delayMs },
    };
  }
  return { outcomes: unknown(`HTTP ${status}`, status) };
}
