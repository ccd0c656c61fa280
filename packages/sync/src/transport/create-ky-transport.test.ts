import { describe, expect, it } from 'vitest';
import { describeTransportContract } from '../../test/support/transport-contract.js';
import { expectFailure, requestTo, TOKEN } from '../../test/support/transport-fixtures.js';
import { createKyTransport } from '../ky.js';

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

  it('answers offline, never reaching fetch, when ky cannot even build the request (a GET with a body)', async () => {
    let calls = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      calls += 1;
      return fetch(input, init);
    };

    const answer = await createKyTransport({ fetch: countingFetch })(
      requestTo('http://127.0.0.1:9', { method: 'GET', body: '{}' }),
    );

    // Nothing left the process: no attempt is spent, as with node:http's synchronous refusals.
    expectFailure(answer, 'offline');
    if (answer.kind === 'failure') expect(answer.message).toContain('could not send');
    expect(calls).toBe(0);
  });

  it('never puts the token in a message when the error below quotes it URL- or form-encoded', async () => {
    const token = 'pat+na1/SECRET=0&1%2 3';
    const leakyFetch: typeof fetch = async () => {
      const form = new URLSearchParams({ t: token }).toString();
      throw new TypeError(`fetch failed for ?t=${encodeURIComponent(token)} and ${form}`, {
        cause: { code: 'ECONNRESET' },
      });
    };

    const answer = await createKyTransport({ fetch: leakyFetch })(
      requestTo('http://127.0.0.1:9', { accessToken: token }),
    );

    expectFailure(answer, 'reset');
    const message = answer.kind === 'failure' ? answer.message : '';
    expect(message).not.toContain(encodeURIComponent(token));
    expect(message).not.toContain(new URLSearchParams({ t: token }).toString().slice(2));
    expect(message).toContain('[redacted]');
  });
});
