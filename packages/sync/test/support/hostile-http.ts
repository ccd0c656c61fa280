/**
 * Test support: servers that misbehave the way real ones do — raw bytes that are not quite HTTP, bodies of
 * hundreds of MiB streamed without allocating them, bodies that drip a byte at a time.
 */
import type { ServerResponse } from 'node:http';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { afterEach } from 'vitest';

const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A loopback TCP server that answers each HTTP request with bytes of its own making. */
export interface RawServer {
  readonly url: string;
  /** How many connections were opened to it. */
  readonly connections: () => number;
}

/**
 * Starts a {@link RawServer} on 127.0.0.1 and a free port; it is closed after each test. `answer` runs once the
 * request's head and its `Content-Length` body have arrived, with the socket to write whatever it likes to.
 *
 * @param answer - writes the (mis)answer.
 */
export async function startRawServer(answer: (socket: Socket) => void): Promise<RawServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let received = Buffer.alloc(0);
    let answered = false;
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const headEnd = received.indexOf('\r\n\r\n');
      if (answered || headEnd < 0) return;
      const length = /content-length:\s*(\d+)/i.exec(received.subarray(0, headEnd).toString('latin1'));
      if (received.length < headEnd + 4 + Number(length?.[1] ?? 0)) return;
      answered = true;
      answer(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${port}`, connections: () => connections };
}

/** One 64 KiB block, allocated once and written again and again. */
const BLOCK = Buffer.alloc(64 * 1024, 0x61);

/**
 * Streams `totalBytes` of body through `res` (after its head was written) without allocating them: one shared
 * block, written as the client takes it (backpressure), until the total is sent or the client hangs up.
 *
 * @param res - the response to write to.
 * @param totalBytes - how much to send in all.
 * @returns how many bytes were handed to the socket so far.
 */
export function streamBody(res: ServerResponse, totalBytes: number): () => number {
  let sent = 0;
  res.on('error', () => {});
  const pump = (): void => {
    while (sent < totalBytes && !res.destroyed) {
      sent += BLOCK.length;
      if (!res.write(BLOCK)) {
        res.once('drain', pump);
        return;
      }
    }
    if (sent >= totalBytes) res.end();
  };
  pump();
  return () => sent;
}

/**
 * Writes one byte of body every `everyMs` until the client hangs up: a body that never stalls long enough for
 * an idle timer, and never ends.
 *
 * @param res - the response to write to (its head already written).
 * @param everyMs - the pause between bytes.
 */
export function dripBody(res: ServerResponse, everyMs: number): void {
  res.on('error', () => {});
  const timer = setInterval(() => {
    if (res.destroyed) clearInterval(timer);
    else res.write('.');
  }, everyMs);
  res.on('close', () => clearInterval(timer));
}
