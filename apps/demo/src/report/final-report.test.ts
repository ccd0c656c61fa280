import { describe, expect, it } from 'vitest';
import type { DemoResult } from '../demo/demo-result.js';
import { formatFinalReport, parseResultLine } from './final-report.js';

const result: DemoResult = {
  target: 'emulator',
  faults: 'flaky',
  seed: 7,
  durationMs: 21_300,
  db: '/tmp/demo.db',
  interrupted: false,
  drained: true,
  recorded: 2000,
  network: { outages: 2, offlineMs: 6000 },
  goal: 2000,
  thisRun: { delivered: 2000, dead: 0, alreadyExisted: 12 },
  outbox: { pending: 0, inFlight: 0, delivered: 2000, dead: 0, evicted: 0 },
  engine: { requests: 71, rateLimited: 1, retries: 199, delivered: 2000, dead: 0 },
  emulator: {
    requests: 71,
    eventsStored: 2000,
    duplicateIdsSeen: 14,
    rateLimited: 1,
    faultsInjected: 9,
    resets: 2,
    serverErrors: 6,
    uniqueIdsStored: 2000,
    idsStoredMoreThanOnce: 0,
    runIdsStoredExactlyOnce: 2000,
    runIdsMissing: 0,
  },
};

describe('formatFinalReport', () => {
  it('ends with a machine-readable line that parses back to the same numbers', () => {
    const text = formatFinalReport(result);
    expect(parseResultLine(`noise\n${text}`)).toEqual(result);
  });

  it('says what was delivered and what the emulator stored, in words', () => {
    const text = formatFinalReport(result);
    expect(text).toContain('delivered this run  2,000');
    expect(text).toContain('12 confirmed by "already exists"');
    expect(text).toContain('stored 2,000 events');
    expect(text).toContain('9 faults injected (6 × 5xx, 2 resets), 1 × 429');
    expect(text).toContain('2,000 of 2,000 stored exactly once, 0 missing');
  });

  it('leaves the machine-readable line out when asked (a person at a terminal)', () => {
    const text = formatFinalReport(result, { resultLine: false });
    expect(text).toContain('Hubline demo: final report');
    expect(text).not.toContain('HUBLINE_DEMO_RESULT');
    expect(parseResultLine(text)).toBeUndefined();
  });

  it('says how often the network went down, and leaves the line out when it never did', () => {
    expect(formatFinalReport(result)).toContain('network             down 2 times, 6.0 s offline in total');
    expect(formatFinalReport({ ...result, network: { outages: 0, offlineMs: 0 } })).not.toMatch(/^network/m);
  });

  it('tells the user that waiting events go out on the next start', () => {
    const text = formatFinalReport({ ...result, outbox: { ...result.outbox, pending: 40, inFlight: 2 } });
    expect(text).toContain('the 42 waiting are sent on the next start');
  });
});

describe('parseResultLine', () => {
  it('finds nothing in output without a result line', () => {
    expect(parseResultLine('hello\nworld')).toBeUndefined();
  });
});
