import { Agent, request as httpRequest } from 'node:http';
import type { HttpAnswer } from '@hubline/core';
import type { Transport } from '../../src/contracts.js';

/**
 * A benchmark-only transport on `node:http` with one keep-alive agent: no fetch, no ky. It exists to measure what
 * the shipped ky/fetch transport costs in memory, next to it in `pnpm bench memory`; it has no timeout, abort or
 * failure classification beyond "reset", so it is not offered to apps.
 */
export function nodeHttpTransport(): Transport {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  return (request) =>
    new Promise<HttpAnswer>((resolve) => {
      const outgoing = httpRequest(
        `${request.baseUrl}${request.path}`,
        {
          method: request.method,
          agent,
          headers: {
            authorization: `Bearer ${request.accessToken}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(request.body),
          },
        },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            body += chunk;
          });
          response.on('end', () =>
            resolve({ kind: 'response', status: response.statusCode ?? 0, headers: {}, body }),
          );
        },
      );
      outgoing.on('error', (error) => resolve({ kind: 'failure', failure: 'reset', message: error.message }));
      outgoing.end(request.body);
    });
}
