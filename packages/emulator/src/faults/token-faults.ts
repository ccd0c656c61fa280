import type { Reply } from '../server/reply.js';
import type { TokenFaultKind } from './fault-types.js';
import { prooflessReply } from './hostile-answers.js';
import { serverErrorReply } from './visible-faults.js';

/** What a token-endpoint fault answers: a reply, or `hang` (hold the connection, then close it). */
export function tokenFaultReply(fault: TokenFaultKind, html: boolean): Reply | 'hang' {
  switch (fault) {
    case 'token-reset':
      return { type: 'reset' };
    case 'token-error-500':
      return serverErrorReply(500, false);
    case 'token-error-503':
      return serverErrorReply(503, html);
    case 'token-html-200':
      return prooflessReply('html-200');
    case 'token-hang':
      return 'hang';
  }
}
