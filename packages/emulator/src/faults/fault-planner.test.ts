import { describe, expect, it } from 'vitest';
import { FaultPlanner } from './fault-planner.js';

const draw = (planner: FaultPlanner, n: number) => Array.from({ length: n }, () => planner.next());
const delays = (planner: FaultPlanner, n: number) => Array.from({ length: n }, () => planner.delayMs());

describe('FaultPlanner', () => {
  it('gives the same decisions and delays for the same seed, and others for another seed', () => {
    const options = { rates: { 'error-503': 0.3, 'reset-after-store': 0.2 }, jitterMs: 100 } as const;
    const a = draw(new FaultPlanner({ seed: 5, ...options }), 200);
    expect(draw(new FaultPlanner({ seed: 5, ...options }), 200)).toEqual(a);
    expect(draw(new FaultPlanner({ seed: 6, ...options }), 200)).not.toEqual(a);
    const d = delays(new FaultPlanner({ seed: 5, ...options }), 200);
    expect(delays(new FaultPlanner({ seed: 5, ...options }), 200)).toEqual(d);
    expect(delays(new FaultPlanner({ seed: 6, ...options }), 200)).not.toEqual(d);
  });

  it('keeps delays and faults on separate streams: drawing one never shifts the other', () => {
    const options = { seed: 4, rates: { 'error-503': 0.5 }, jitterMs: 1000 } as const;
    const faultsAlone = draw(new FaultPlanner(options), 50);
    const delaysAlone = delays(new FaultPlanner(options), 50);
    const both = new FaultPlanner(options);
    const faults = [];
    const ds = [];
    for (let i = 0; i < 50; i += 1) {
      ds.push(both.delayMs(), both.delayMs());
      faults.push(both.next());
    }
    expect(faults).toEqual(faultsAlone);
    expect(ds.slice(0, 50)).toEqual(delaysAlone);
  });

  it('injects each fault at about its rate', () => {
    const decisions = draw(new FaultPlanner({ seed: 1, rates: { 'error-500': 0.25, slow: 0.1 } }), 4000);
    const share = (kind: string) => decisions.filter((d) => d.fault === kind).length / decisions.length;
    expect(share('error-500')).toBeGreaterThan(0.22);
    expect(share('error-500')).toBeLessThan(0.28);
    expect(share('slow')).toBeGreaterThan(0.08);
    expect(share('slow')).toBeLessThan(0.12);
  });

  it('keeps later decisions unchanged when a forced sequence is consumed first', () => {
    const rates = { 'error-502': 0.5 } as const;
    const plain = draw(new FaultPlanner({ seed: 3, rates }), 10).slice(2);
    const forced = draw(new FaultPlanner({ seed: 3, rates, sequence: ['locked-423', 'none'] }), 10);
    expect(forced.slice(0, 2).map((d) => d.fault)).toEqual(['locked-423', undefined]);
    expect(forced.slice(2)).toEqual(plain);
  });

  it('adds fixed latency plus whole-millisecond jitter in [0, jitterMs)', () => {
    const ds = delays(new FaultPlanner({ latencyMs: 10, jitterMs: 5 }), 500);
    expect(new Set(ds)).toEqual(new Set([10, 11, 12, 13, 14]));
    expect(delays(new FaultPlanner({ latencyMs: 7 }), 5)).toEqual([7, 7, 7, 7, 7]);
  });

  it('runs a 429 burst for burstLength requests', () => {
    const planner = new FaultPlanner({ sequence: ['rate-limit-burst'], burstLength: 4 });
    expect(draw(planner, 5).map((d) => d.fault)).toEqual([
      'rate-limit-burst',
      'rate-limit-burst',
      'rate-limit-burst',
      'rate-limit-burst',
      undefined,
    ]);
  });

  it('gives the same seeded run as before hostile answers and token faults were added', () => {
    // Pinned from the planner of the previous release: a seed must keep meaning the same run.
    const planner = new FaultPlanner({
      seed: 5,
      rates: { 'error-503': 0.2, 'reset-after-store': 0.1, slow: 0.1, 'rate-limit-burst': 0.05 },
      jitterMs: 100,
      burstLength: 2,
    });
    const run = Array.from({ length: 12 }, () => [planner.delayMs(), planner.next().fault ?? 'none']);
    expect(run).toEqual([
      [9, 'none'],
      [78, 'reset-after-store'],
      [60, 'none'],
      [61, 'none'],
      [99, 'none'],
      [21, 'none'],
      [81, 'error-503'],
      [17, 'reset-after-store'],
      [62, 'reset-after-store'],
      [68, 'rate-limit-burst'],
      [64, 'rate-limit-burst'],
      [73, 'none'],
    ]);
  });

  it('draws token faults from their own stream and queue, leaving API faults as they were', () => {
    const options = { seed: 7, rates: { 'error-503': 0.4 }, tokenRates: { 'token-reset': 0.5 } } as const;
    const alone = draw(new FaultPlanner(options), 30);
    const mixed = new FaultPlanner({ ...options, tokenSequence: ['token-hang'] });
    const api = [];
    const tokens = [];
    for (let i = 0; i < 30; i += 1) {
      tokens.push(mixed.nextToken().fault);
      api.push(mixed.next());
    }
    expect(api).toEqual(alone);
    expect(tokens[0]).toBe('token-hang');
    expect(new Set(tokens.slice(1))).toEqual(new Set(['token-reset', undefined]));
    const again = new FaultPlanner({ ...options, tokenSequence: ['token-hang'] });
    expect(Array.from({ length: 30 }, () => again.nextToken().fault)).toEqual(tokens);
  });

  it('rolls hostile answers after the visible faults, at their rates', () => {
    const decisions = draw(
      new FaultPlanner({ seed: 2, rates: { 'empty-200': 0.2, 'batch-pending-delayed': 0.1 } }),
      4000,
    );
    const share = (kind: string) => decisions.filter((d) => d.fault === kind).length / decisions.length;
    expect(share('empty-200')).toBeGreaterThan(0.17);
    expect(share('empty-200')).toBeLessThan(0.23);
    expect(share('batch-pending-delayed')).toBeGreaterThan(0.08);
    expect(share('batch-pending-delayed')).toBeLessThan(0.12);
  });
});
