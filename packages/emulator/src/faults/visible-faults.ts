import { errorBody, proxyHtmlBody, rateLimitBody, serverErrorBody } from '../bodies.js';
import { json, type Reply } from '../server/reply.js';
import type { ResolvedFaults } from './fault-settings.js';
import type { FaultKind } from './fault-types.js';

const serverErrors: Partial<Record<FaultKind, number>> = {
  'error-500': 500,
  'error-502': 502,
  'error-503': 503,
  'error-504': 504,
};

/** A 5xx as HubSpot (JSON) or, when `html`, a proxy in front of it (HTML; never for 500) sends it. */
export function serverErrorReply(status: number, html: boolean): Reply {
  return html && status !== 500
    ? { type: 'text', status, contentType: 'text/html; charset=utf-8', text: proxyHtmlBody(status) }
    : json(status, serverErrorBody(status));
}

/**
 * The answer of a fault that refuses the request before it is carried out (nothing stored): 5xx, a 429 burst,
 * 423, 477, or a reset. Undefined for the faults that let the request run (`slow`, `reset-after-store`).
 */
export function refusingFaultReply(fault: FaultKind, html: boolean, s: ResolvedFaults): Reply | undefined {
  const status = serverErrors[fault];
  if (status !== undefined) return serverErrorReply(status, html);
  const retryAfter = { 'retry-after': String(s.retryAfterSeconds) };
  switch (fault) {
    case 'rate-limit-burst':
      return json(429, rateLimitBody('TEN_SECONDLY_ROLLING'));
    case 'locked-423':
      return json(
        423,
        errorBody('LOCKED', `The resource is locked. Locks last for ${s.retryAfterSeconds} seconds.`),
        retryAfter,
      );
    case 'migrating-477':
      return json(
        477,
        errorBody(
          'MIGRATION_IN_PROGRESS',
          `This account is being migrated; retry after ${s.retryAfterSeconds} seconds.`,
        ),
        retryAfter,
      );
    case 'reset-before-store':
      return { type: 'reset' };
    default:
      return undefined;
  }
}
