import { describe, expect, it } from 'vitest';
import type { DemoSnapshot } from '../demo/snapshot.js';
import { formatElapsed } from './format-numbers.js';
import { formatLiveLines, LIVE_LINE_COUNT } from './live-lines.js';

const base: DemoSnapshot = {
  at: 100_000,
  uptimeMs: 26_400,
  target: 'emulator',
  online: true,
  scheduledDrops: true,
  scheduleAvailable: true,
  faults: 'flaky',
  recording: true,
  status: { state: 'sending' },
  recorded: 2598,
  goal: null,
  pending: 1203,
  inFlight: 70,
  delivered: 1325,
  dead: 0,
  backlogBytes: 0,
  oldestPendingAgeMs: 0,
  requests: 1325,
  rateLimited: 9,
  retries: 40,
  deliveryRate: 96.5,
  emulator: null,
};

describe('formatLiveLines', () => {
  it('shows every counter with thousands separators, in a fixed number of lines', () => {
    const lines = formatLiveLines(base, 80);
    expect(lines).toHaveLength(LIVE_LINE_COUNT);
    expect(lines[0]).toMatch(/^ delivered [█░]+ {2}1,325 \/ 2,598 \(whole outbox\)$/);
    expect(lines[1]).toBe(' recorded 2,598 · pending 1,203 · in flight 70 · dead 0');
    expect(lines[2]).toBe(' requests 1,325 · 429s 9 · retries 40 · 96.5 delivered/s');
    expect(lines[3]).toBe(' engine sending · network up · faults flaky · 26 s');
    expect(lines[4]).toBe('');
  });

  it('measures the bar against the goal of --events', () => {
    const [bar] = formatLiveLines({ ...base, goal: 2000, delivered: 1000 }, 80);
    expect(bar).toMatch(/1,000 \/ 2,000 \(this run’s goal\)$/);
    const filled = (bar?.match(/█/g) ?? []).length;
    const empty = (bar?.match(/░/g) ?? []).length;
    expect(filled).toBe(empty);
  });

  it('gives the reason of the state its own line, with the time left', () => {
    const lines = formatLiveLines(
      {
        ...base,
        status: { state: 'rate-limited', reason: 'HubSpot said 429 (TEN_SECONDLY_ROLLING)', until: 108_200 },
      },
      80,
    );
    expect(lines[3]).toMatch(/^ engine rate-limited · /);
    expect(lines[4]).toBe('   ↳ HubSpot said 429 (TEN_SECONDLY_ROLLING), 9 s left');
  });

  it('fits a narrower terminal, marking what it had to cut', () => {
    const lines = formatLiveLines({ ...base, status: { state: 'offline', reason: 'x'.repeat(200) } }, 50);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(50);
    expect(lines[4]).toMatch(/…$/);
  });

  it('never draws wider than 80 columns, even on a wide terminal', () => {
    const lines = formatLiveLines({ ...base, status: { state: 'offline', reason: 'y'.repeat(200) } }, 200);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
  });
});

describe('formatElapsed', () => {
  it('reads like a clock a person would say out loud', () => {
    expect(formatElapsed(999)).toBe('0 s');
    expect(formatElapsed(26_400)).toBe('26 s');
    expect(formatElapsed(86_000)).toBe('1m 26s');
    expect(formatElapsed(7_500_000)).toBe('2h 05m');
  });
});
