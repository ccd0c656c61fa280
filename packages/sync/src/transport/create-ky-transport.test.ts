import { describe, expect, it } from 'vitest';
import {
  describeTransportContract,
  expectFailure,
  requestTo,
  TOKEN,
} from '../../test/support/transport-contract.js';
import { createKyTransport } from './create-ky-transport.js';

describeTransportContract('createKyTransport', (options) => createKyTransport(options));

describe('createKyTransport with an injected fetch', () => {
  it('never puts the token in a failure message, even when the error below quotes it', async () => {
    const leakyFetch: typeof fetch = async () => {
      throw new TypeError(`fetch failed for Bearer ${TOKEN}`, { cause: { code: 'ECONNRESET' } });
    };

    const answer = await createKyTransport({ fetch: leakyFetch })(requestTo('http://127.0.0.1:9'));

    expectFailure(answer, 'reset');
    if (answer.kind === 'failure') expect(answer.message).toContain('[redacted]');
  });

  it('never rejects, even when the injected fetch throws something odd', async () => {
    const oddFetch = (async () => {
      throw 'not an error';
    }) as unknown as typeof fetch;

    const answer = await createKyTransport({ fetch: oddFetch })(requestTo('http://127.0.0.1:9'));

    expectFailure(answer, 'reset');
  });
});
