import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isLoopback } from '../src/faults/loopback.js';
import { startEmulator } from '../src/index.js';
import { batchPath, token, visit } from './support/http.js';
import { recordSleeps } from './support/sleeps.js';

interface Streamed {
  readonly status: number;
  readonly bytes: number;
  readonly head: string;
  /** 'end' when the body completed, 'cut' when the connection closed first, 'aborted' when we stopped reading. */
  readonly ended: 'end' | 'cut' | 'aborted';
}

/** Posts a batch over node:http and counts the answer's bytes without keeping them (optionally stopping early). */
function postCounting(
  url: string,
  inputs: unknown[],
  stopAfter = Number.POSITIVE_INFINITY,
): Promise<Streamed> {
  const body = JSON.stringify({ inputs });
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${batchPath}`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let bytes = 0;
        let head = '';
        const finish = (ended: Streamed['ended']) =>
          resolve({ status: res.statusCode ?? 0, bytes, head, ended });
        res.on('data', (chunk: Buffer) => {
          if (head.length < 200) head += chunk.toString('utf8', 0, Math.min(chunk.length, 200));
          bytes += chunk.length;
          if (bytes >= stopAfter) {
            res.destroy();
            finish('aborted');
          }
        });
        res.on('end', () => finish('end'));
        res.on('error', () => finish('cut'));
        res.on('close', () => finish(res.complete ? 'end' : 'cut'));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('oversized bodies', () => {
  it('streams exactly oversizedBytes of JSON that names no result, storing nothing (or, -stored, everything)', async () => {
    const size = 64 * 1024 * 1024;
    await using emu = await startEmulator({
      faults: { oversizedBytes: size, sequence: ['oversized-body', 'oversized-body-stored'] },
    });
    const lost = await postCounting(emu.url, [visit('a')]);
    expect(lost).toMatchObject({ status: 201, bytes: size, ended: 'end' });
    expect(lost.head).toMatch(
      /^\{"status":"COMPLETE","startedAt":"[^"]+","completedAt":"[^"]+","results":\[ {10}/,
    );
    expect(emu.events()).toHaveLength(0);
    const kept = await postCounting(emu.url, [visit('b')]);
    expect(kept).toMatchObject({ status: 201, bytes: size, ended: 'end' });
    expect(emu.events().map((e) => e.id)).toEqual(['b']);
    expect(emu.requests().map((r) => [r.fault, r.status])).toEqual([
      ['oversized-body', 201],
      ['oversized-body-stored', 201],
    ]);
  }, 60_000);

  it('stops writing when the client stops reading a 600 MiB body, and stop() is prompt while one streams', async () => {
    const emu = await startEmulator({ faults: { sequence: ['oversized-body', 'oversized-body'] } });
    expect(emu.faults().oversizedBytes).toBe(600 * 1024 * 1024);
    const heapBefore = process.memoryUsage().heapUsed;
    const first = await postCounting(emu.url, [visit('a')], 1024 * 1024);
    expect(first).toMatchObject({ status: 201, ended: 'aborted' });
    // A second one is left streaming into a client that does not read; stop() must not wait for it.
    const pending = postCounting(emu.url, [visit('b')], 512 * 1024);
    await expect.poll(() => emu.requests().length).toBe(2);
    const t0 = Date.now();
    await emu.stop();
    expect(Date.now() - t0).toBeLessThan(5000);
    await pending;
    // Chunks are written, not built: the body never sits in memory.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
  }, 30_000);
});

describe('dripping bodies', () => {
  it('drips dripBytes every dripIntervalMs and cuts the connection after dripMs, the body unfinished', async () => {
    const timers = recordSleeps();
    await using emu = await startEmulator({
      sleep: timers.sleep,
      faults: { sequence: ['dripping-body'], dripBytes: 3, dripIntervalMs: 1000, dripMs: 10_000 },
    });
    const answer = await postCounting(emu.url, [visit('a')]);
    expect(answer).toMatchObject({ status: 201, bytes: 30, ended: 'cut' });
    // Ten drips of three bytes: the start of a batch response, never finished.
    expect(answer.head).toBe('{"status":"COMPLETE","startedAt":"'.slice(0, 30));
    expect(timers.asked).toEqual(Array.from({ length: 10 }, () => 1000));
    expect(emu.events()).toHaveLength(0);
  });

  it('dripping-body-stored stores the events before it starts; stop() ends a drip held by a sleep that never returns', async () => {
    const timers = recordSleeps({ hold: true });
    const emu = await startEmulator({ sleep: timers.sleep, faults: { sequence: ['dripping-body-stored'] } });
    const answer = postCounting(emu.url, [visit('a')]);
    await expect.poll(() => timers.held()).toEqual([1000]);
    expect(emu.events().map((e) => e.id)).toEqual(['a']);
    await emu.stop();
    expect(await answer).toMatchObject({ status: 201, bytes: 0, ended: 'cut' });
  });

  it('with real timers: a few bytes a second, and the client that gives up is not written to again', async () => {
    await using emu = await startEmulator({
      faults: { sequence: ['dripping-body'], dripBytes: 4, dripIntervalMs: 40, dripMs: 60_000 },
    });
    const answer = await postCounting(emu.url, [visit('a')], 12);
    expect(answer).toMatchObject({ status: 201, bytes: 12, ended: 'aborted' });
    await expect.poll(() => emu.requests()[0]?.durationMs).toBeDefined();
  });
});

describe('isLoopback', () => {
  it('knows loopback peers, which alone are given streamed bodies', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])
      expect(isLoopback(address)).toBe(true);
    for (const address of ['10.0.0.1', '192.168.1.2', '::ffff:10.0.0.1', 'fe80::1', undefined]) {
      expect(isLoopback(address)).toBe(false);
    }
  });
});
