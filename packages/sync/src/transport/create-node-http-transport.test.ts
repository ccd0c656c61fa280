import { Agent } from 'node:http';
import { type AddressInfo, createServer as createNetServer, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { describeTransportContract } from '../../test/support/transport-contract.js';
import { expectFailure, requestTo, startServer, TOKEN } from '../../test/support/transport-fixtures.js';
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

  it('speaks TLS to an https URL, and answers offline when the handshake fails', async () => {
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

    // The handshake failed, so the request never left: offline, not an attempt.
    expectFailure(answer, 'offline');
    // A TLS handshake record (0x16) opens the connection, where plain HTTP would start with "POST".
    expect(firstBytes[0]?.[0]).toBe(0x16);
  });

  it('answers offline when no connection opens within connectTimeoutMs (a network that drops packets)', async () => {
    // A socket whose TCP handshake never completes, as behind a firewall that silently drops packets.
    const agent = new Agent();
    agent.createConnection = (() => {
      const socket = new Socket();
      Object.assign(socket, { connecting: true });
      return socket;
    }) as unknown as typeof agent.createConnection;

    const answer = await createNodeHttpTransport({ agents: { http: agent }, connectTimeoutMs: 30 })(
      requestTo('http://127.0.0.1:9', { timeoutMs: 1_000 }),
    );

    expectFailure(answer, 'offline');
    if (answer.kind === 'failure') expect(answer.message).toContain('no connection within 30 ms');
  });

  it('answers offline when the TLS handshake of an https request never completes', async () => {
    // Reads the ClientHello and never answers it.
    const silentPeer = createNetServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silentPeer.listen(0, '127.0.0.1', resolve));
    const { port } = silentPeer.address() as AddressInfo;

    const answer = await createNodeHttpTransport({ connectTimeoutMs: 50 })(
      requestTo(`https://127.0.0.1:${port}`, { timeoutMs: 1_000 }),
    );
    await new Promise<void>((resolve) => {
      silentPeer.close(() => resolve());
    });

    expectFailure(answer, 'offline');
  });

  it('answers timeout, not offline, when the connection opened but the answer is late', async () => {
    const server = await startServer(() => {});

    // A connection to localhost opens well within a second even on a loaded machine; the answer never comes.
    const answer = await createNodeHttpTransport({ connectTimeoutMs: 1000 })(
      requestTo(server.url, { timeoutMs: 1200 }),
    );

    expectFailure(answer, 'timeout');
  });

  it('answers reset, not offline, when an unreachable-network error ends a connection that was open', async () => {
    const agent = new Agent();
    let clientSocket: Socket | undefined;
    const createConnection = agent.createConnection.bind(agent);
    agent.createConnection = ((...args: Parameters<typeof createConnection>) => {
      clientSocket = createConnection(...args) as Socket;
      return clientSocket;
    }) as typeof agent.createConnection;
    let received = '';
    const server = await startServer((req) => {
      received = (req as { body?: string }).body ?? '';
      clientSocket?.destroy(Object.assign(new Error('host unreachable'), { code: 'EHOSTUNREACH' }));
    });

    const answer = await createNodeHttpTransport({ agents: { http: agent } })(requestTo(server.url));

    expect(received).toBe('{"inputs":[]}');
    expectFailure(answer, 'reset');
    agent.destroy();
  });

  it('drops whitespace around the token, as fetch does with header values', async () => {
    let authorization: string | undefined;
    const server = await startServer((req, res) => {
      authorization = req.headers.authorization;
      res.writeHead(201);
      res.end('{}');
    });

    const answer = await createNodeHttpTransport()(requestTo(server.url, { accessToken: ` ${TOKEN}\n` }));

    expect(answer).toMatchObject({ kind: 'response', status: 201 });
    expect(authorization).toBe(`Bearer ${TOKEN}`);
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

  it('never puts the token in a message when the error below quotes it URL- or form-encoded', async () => {
    const token = 'pat+na1/SECRET=0&1%2 3';
    const agent = new Agent();
    agent.createConnection = ((
      _options: unknown,
      callback: (error: Error | null, socket: Duplex) => void,
    ) => {
      const form = new URLSearchParams({ t: token }).toString();
      callback(
        Object.assign(new Error(`refused ?t=${encodeURIComponent(token)} ${form}`), { code: 'ECONNREFUSED' }),
        undefined as never,
      );
      return undefined;
    }) as unknown as typeof agent.createConnection;

    const answer = await createNodeHttpTransport({ agents: { http: agent } })(
      requestTo('http://127.0.0.1:9', { accessToken: token }),
    );

    expectFailure(answer, 'offline');
    const message = answer.kind === 'failure' ? answer.message : '';
    expect(message).not.toContain(encodeURIComponent(token));
    expect(message).not.toContain(new URLSearchParams({ t: token }).toString().slice(2));
    expect(message).toContain('[redacted]');
  });

  it('answers a request it cannot even form (a control character in the token) as offline, without throwing', async () => {
    const answer = await createNodeHttpTransport()(
      requestTo('http://127.0.0.1:9', { accessToken: 'bad\ntoken' }),
    );

    expect(answer.kind).toBe('failure');
    if (answer.kind !== 'failure') return;
    // Nothing left the process: no attempt is spent, and the engine pauses with this message as its reason.
    expect(answer.failure).toBe('offline');
    expect(answer.message).toContain('could not send');
    expect(answer.message).not.toContain('bad\ntoken');
  });

  it('refuses a connect timeout that is not a positive integer, naming it', () => {
    expect(() => createNodeHttpTransport({ connectTimeoutMs: 0 })).toThrow(/connectTimeoutMs/);
  });
});
