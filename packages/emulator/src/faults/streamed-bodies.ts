import type { ServerResponse } from 'node:http';

/** A body streamed bit by bit, so it never has to exist in memory. */
export type StreamedBody =
  /** `bytes` of JSON (a batch response padded with whitespace), written as fast as the client reads. */
  | {
      readonly kind: 'oversized';
      /** The body's start: a `COMPLETE` batch response up to its `results` array, padded after with spaces. */
      readonly prefix: string;
      /** The body's whole length in bytes, prefix and closing `]}` included. */
      readonly bytes: number;
    }
  /** `dripBytes` every `intervalMs`, for at most `maxMs`; then the connection is cut, the body unfinished. */
  | {
      readonly kind: 'dripping';
      /** The body's start, sent a few bytes at a time before the spaces that follow it. */
      readonly prefix: string;
      /** Bytes sent at each drip. */
      readonly dripBytes: number;
      /** Milliseconds between two drips. */
      readonly intervalMs: number;
      /** Milliseconds after which the connection is destroyed, the body never finished. */
      readonly maxMs: number;
    };

const chunkBytes = 64 * 1024;
let padding: Buffer | undefined;

/** One chunk of JSON whitespace, allocated once and written again and again. */
function paddingChunk(): Buffer {
  padding ??= Buffer.alloc(chunkBytes, 0x20);
  return padding;
}

/** Resolves when the response can take more, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Writes an oversized body: the prefix, whitespace chunk by chunk (waiting whenever the socket is full), and the
 * closing `]}`, `bytes` in all. Stops early when the client goes away.
 * @returns the bytes written.
 */
export async function writeOversized(res: ServerResponse, prefix: string, bytes: number): Promise<number> {
  const head = Buffer.from(prefix);
  const tail = Buffer.from(']}');
  let written = 0;
  const write = async (piece: Buffer) => {
    written += piece.length;
    if (!res.write(piece)) await drained(res);
  };
  await write(head);
  let left = Math.max(0, bytes - head.length - tail.length);
  const chunk = paddingChunk();
  while (left > 0 && !res.destroyed) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    left -= piece.length;
    await write(piece);
  }
  if (!res.destroyed) res.end(tail);
  return written + (res.destroyed ? 0 : tail.length);
}

/**
 * Drips a body: `dripBytes` of the prefix (then whitespace) every `intervalMs`, through the emulator's sleep,
 * for at most `maxMs`, then destroys the connection without ending the body. Stops early when the client goes
 * away or the emulator stops.
 * @returns the bytes written.
 */
export async function writeDripping(
  res: ServerResponse,
  body: Extract<StreamedBody, { kind: 'dripping' }>,
  sleep: (ms: number) => Promise<void>,
  stopped: () => boolean,
): Promise<number> {
  const head = Buffer.from(body.prefix);
  const ticks = Math.max(1, Math.floor(body.maxMs / body.intervalMs));
  let written = 0;
  res.flushHeaders();
  for (let tick = 0; tick < ticks; tick += 1) {
    await sleep(body.intervalMs);
    if (stopped() || res.destroyed) break;
    const piece = Buffer.alloc(body.dripBytes, 0x20);
    if (written < head.length) head.copy(piece, 0, written, Math.min(head.length, written + body.dripBytes));
    written += piece.length;
    res.write(piece);
  }
  // Let what was written reach the client, then cut the connection: the body never ends.
  const socket = res.socket;
  if (socket !== null && !socket.destroyed)
    await new Promise<void>((resolve) => socket.write('', () => resolve()));
  socket?.destroy();
  return written;
}
