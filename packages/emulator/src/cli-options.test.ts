import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-options.js';

describe('parseCliArgs', () => {
  it('defaults to port 4010 on loopback with the default templates', () => {
    expect(parseCliArgs([])).toEqual({
      help: false,
      options: { host: '127.0.0.1', port: 4010, faults: {}, limits: {}, auth: {}, online: true },
    });
  });

  it('merges --faults JSON with --seed, --latency and --jitter, and the limit flags', () => {
    const command = parseCliArgs([
      '--faults',
      '{"rates":{"error-503":0.1},"seed":1}',
      '--seed',
      '9',
      '--latency',
      '20',
      '--jitter',
      '5',
      '--rate-limit',
      '50',
      '--batch-cap',
      '500',
      '--conflict-mode',
      '409',
      '--token',
      'a',
      '--token',
      'b',
      '--token-ttl',
      '60',
      '--offline',
    ]);
    expect(command).toMatchObject({
      help: false,
      options: {
        faults: { rates: { 'error-503': 0.1 }, seed: 9, latencyMs: 20, jitterMs: 5 },
        limits: { rateLimit: 50, maxBatchSize: 500, conflictMode: '409' },
        auth: { tokens: [{ token: 'a' }, { token: 'b' }], accessTokenTtlMs: 60_000 },
        online: false,
      },
    });
  });

  it('reads inline templates, and refuses bad values naming the option', () => {
    const command = parseCliArgs([
      '--templates',
      '[{"id":"1","objectType":"contacts","tokens":[]}]',
      '--no-auth',
    ]);
    expect(command).toMatchObject({ options: { templates: [{ id: '1' }], auth: { requireAuth: false } } });
    expect(() => parseCliArgs(['--port', 'x'])).toThrow(/--port/);
    expect(() => parseCliArgs(['--faults', '{nope'])).toThrow(/--faults/);
    expect(() => parseCliArgs(['--bogus'])).toThrow();
    expect(parseCliArgs(['-h'])).toEqual({ help: true });
  });

  it('reads accounts, the daily cap and the developer credentials', () => {
    const command = parseCliArgs([
      '--accounts',
      '{"accounts":[{"id":"123","tokens":[{"token":"t"}],"limits":{"rateLimit":10}}]}',
      '--daily-limit',
      '5000',
      '--app-id',
      '42',
      '--developer-key',
      'dev',
    ]);
    expect(command).toMatchObject({
      options: {
        accounts: [{ id: '123', tokens: [{ token: 't' }], limits: { rateLimit: 10 } }],
        limits: { dailyLimit: 5000 },
        developer: { appId: 42, apiKey: 'dev' },
      },
    });
    expect(() => parseCliArgs(['--accounts', '{"id":"1"}'])).toThrow(/--accounts: expected an array/);
    expect(() => parseCliArgs(['--app-id', 'x'])).toThrow(/--app-id/);
  });
});
