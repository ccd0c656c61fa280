import { Agent } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  describeTransportContract,
  expectFailure,
  requestTo,
  startServer,
  TOKEN,
} from '../../test/support/transport-contract.js';
import { createNodeHttpTransport } from './create-node-http-transport.js';

describeTransportContract('createNodeHttpTransport', (options) => createNodeHttpTransport(options));

describe('createNodeHttpTransport', () => {
  it('sends the body’s length in bytes, not characters', async () => {
    let seen: { length?: string; body?: string } = {};
    const server = await startServer((req, res) => {
      seen = { length: req.headers['content-length'], body: (req as { body?: string }).body };
      res.writeHead(201);
      res.end('{}');
    });
    const body = '{"inputs":[{"tokens":{"name":"Zoë – café ☕"}}]}';

    await createNodeHttpTransport()(requestTo(server.url, { body }));

    expect(seen.length).toBe(String(Buffer.byteLength(body)));
    expect(seen.body).toBe(body);
  });

  it('joins a repeated header into one value', async () => {
    const server = await startServer((_req, res) => {
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(201);
      res.end('{}');
    });

    const answer = await createNodeHttpTransport()(requestTo(server.url));

    expect(answer).toMatchObject({ kind: 'response', headers: { 'set-cookie': 'a=1, b=2' } });
  });

  it('sends through the agent it is given', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(201);
      res.end('{}');
    });
    const agent = new Agent({ keepAlive: true });
    let connectionsMade = 0;
    const createConnection = agent.createConnection.bind(agent);
    agent.createConnection = ((...args: Parameters<typeof createConnection>) => {
      connectionsMade += 1;
      return createConnection(...args);
    }) as typeof agent.createConnection;

    const transport = createNodeHttpTransport({ agents: { http: agent } });
    await transport(requestTo(server.url));
    await transport(requestTo(server.url));

    expect(connectionsMade).toBe(1);
    agent.destroy();
  });

  it('closes a timed-out connection instead of leaving it open or returning it to the pool', async () => {
    let requests = 0;
    let stalledClosed: Promise<void> = Promise.resolve();
    const server = await startServer((req, res) => {
      requests += 1;
      if (requests === 1) {
        // The first request stalls until the client gives up; the client must hang up.
        stalledClosed = new Promise((resolve) => req.socket.once('close', () => resolve()));
        return;
      }
      res.writeHead(201);
      res.end('{}');
    });
    const transport = createNodeHttpTransport();

    const stalled = await transport(requestTo(server.url, { timeoutMs: 50 }));
    await stalledClosed;
    const next = await transport(requestTo(server.url));

    expectFailure(stalled, 'timeout');
    expect(next).toMatchObject({ kind: 'response', status: 201 });
    expect(server.connections()).toBe(2);
  });

  it('speaks TLS to an https URL', async () => {
    const firstBytes: Buffer[] = [];
    const tlsPeer = createNetServer((socket) => {
      socket.once('data', (chunk: Buffer) => {
        firstBytes.push(chunk);
        socket.destroy();
      });
    });
    await new Promise<void>((resolve) => tlsPeer.listen(0, '127.0.0.1', resolve));
    const { port } = tlsPeer.address() as AddressInfo;

    const answer = await createNodeHttpTransport()(requestTo(`https://127.0.0.1:${port}`));
    tlsPeer.close();

    expectFailure(answer, 'reset');
    // A TLS handshake record (0x16) opens the connection, where plain HTTP would start with "POST".
    expect(firstBytes[0]?.[0]).toBe(0x16);
  });

  it('never puts the token in a failure message, even when the error below quotes it', async () => {
    const agent = new Agent();
    agent.createConnection = ((
      _options: unknown,
      callback: (error: Error | null, socket: Duplex) => void,
    ) => {
      callback(
        Object.assign(new Error(`refused Bearer ${TOKEN}`), { code: 'ECONNREFUSED' }),
        undefined as never,
      );
      return undefined;
    }) as unknown as typeof agent.createConnection;

    const answer = await createNodeHttpTransport({ agents: { http: agent } })(
      requestTo('http://127.0.0.1:9'),
    );

    expectFailure(answer, 'offline');
    if (answer.kind === 'failure') expect(answer.message).toContain('[redacted]');
  });

  it('answers a request it cannot even form as a failure instead of throwing', async () => {
    const answer = await createNodeHttpTransport()(
      requestTo('http://127.0.0.1:9', { accessToken: 'bad\ntoken' }),
    );

    expect(answer.kind).toBe('failure');
    if (answer.kind === 'failure') expect(answer.message).not.toContain('bad\ntoken');
  });
});
