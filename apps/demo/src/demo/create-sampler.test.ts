import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createSampler } from './create-sampler.js';
import type { DemoSnapshot } from './snapshot.js';

/** A snapshot whose backlog and rate follow the virtual clock, so each sample is told apart. */
const reading = (scheduler: VirtualTimeScheduler) => (): DemoSnapshot =>
  ({
    at: scheduler.now(),
    pending: scheduler.now() / 100,
    inFlight: 1,
    deliveryRate: 2.5,
    online: scheduler.now() < 1000,
  }) as DemoSnapshot;

describe('createSampler', () => {
  it('samples every sampleMs, emitting each snapshot and charting it', () => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, 1500);
    const sampler = createSampler({ read: reading(scheduler), sampleMs: 500, scheduler });
    const seen: number[] = [];
    sampler.snapshot$.subscribe((snapshot) => seen.push(snapshot.at));
    sampler.start();
    scheduler.flush();
    expect(seen).toEqual([500, 1000, 1500]);
    expect(sampler.series()).toEqual([
      { t: 0.5, backlog: 6, rate: 2.5, online: true },
      { t: 1, backlog: 11, rate: 2.5, online: false },
      { t: 1.5, backlog: 16, rate: 2.5, online: false },
    ]);
  });

  it('keeps only the newest chart points', () => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, 5000);
    const sampler = createSampler({ read: reading(scheduler), sampleMs: 1000, capacity: 2, scheduler });
    sampler.start();
    scheduler.flush();
    expect(sampler.series().map((point) => point.t)).toEqual([4, 5]);
  });

  it('stops on its timer but still samples on demand, then completes its stream', () => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, 3000);
    const sampler = createSampler({ read: reading(scheduler), sampleMs: 1000, scheduler });
    const seen: number[] = [];
    let completed = false;
    sampler.snapshot$.subscribe({
      next: (snapshot) => seen.push(snapshot.at),
      complete: () => (completed = true),
    });
    sampler.start();
    scheduler.schedule(() => {
      sampler.stop();
      expect(sampler.sample().at).toBe(1500);
      sampler.complete();
    }, 1500);
    scheduler.flush();
    expect(seen).toEqual([1000, 1500]);
    expect(completed).toBe(true);
    expect(sampler.series()).toHaveLength(2);
  });
});
