import {
  asyncScheduler,
  interval,
  type Observable,
  type SchedulerLike,
  Subject,
  type Subscription,
} from 'rxjs';
import { createBoundedList } from './bounded-list.js';
import { type SeriesPoint, seriesPoint } from './sampling.js';
import type { DemoSnapshot } from './snapshot.js';

/** Chart points kept: 10 minutes at the default 500 ms. */
const SERIES_POINTS = 1200;

/** Options of {@link createSampler}. */
export interface SamplerOptions {
  /** Reads the demo's current state. */
  readonly read: () => DemoSnapshot;
  /** How often to sample, in ms. */
  readonly sampleMs: number;
  /** Chart points kept, newest. @default 1200 */
  readonly capacity?: number;
  /** @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

/** Takes the demo's snapshots on a timer: one per tick feeds the terminal, the dashboard's stream and the chart. */
export interface Sampler {
  /** Each sampled snapshot; completes on {@link Sampler.complete}. */
  readonly snapshot$: Observable<DemoSnapshot>;
  /** Sample every `sampleMs` until stopped. */
  start(): void;
  /** Stop the timer; {@link Sampler.sample} still works. */
  stop(): void;
  /** Sample now: read, add a chart point, emit. */
  sample(): DemoSnapshot;
  /** The chart points kept, oldest first (a copy). */
  series(): SeriesPoint[];
  /** Stop and complete `snapshot$`. */
  complete(): void;
}

/**
 * The demo's sampler. Time comes from the scheduler, so a test can sample in virtual time.
 *
 * @param options - see {@link SamplerOptions}
 * @example
 * ```ts
 * const sampler = createSampler({ read: () => demo.snapshot(), sampleMs: 500 });
 * sampler.snapshot$.subscribe((snapshot) => view.update(snapshot));
 * sampler.start();
 * ```
 */
export function createSampler(options: SamplerOptions): Sampler {
  const snapshot$ = new Subject<DemoSnapshot>();
  const points = createBoundedList<SeriesPoint>(options.capacity ?? SERIES_POINTS);
  let ticker: Subscription | undefined;

  const sample = (): DemoSnapshot => {
    const current = options.read();
    points.push(seriesPoint(current));
    snapshot$.next(current);
    return current;
  };
  const stop = (): void => {
    ticker?.unsubscribe();
    ticker = undefined;
  };

  return {
    snapshot$: snapshot$.asObservable(),
    start() {
      if (ticker !== undefined) return;
      ticker = interval(options.sampleMs, options.scheduler ?? asyncScheduler).subscribe(() => sample());
    },
    stop,
    sample,
    series() {
      return [...points.items];
    },
    complete() {
      stop();
      snapshot$.complete();
    },
  };
}
