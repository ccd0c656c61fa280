/**
 * How far behind its high-water mark the wall clock may read before a store takes it for a step back. Small
 * enough that a step it lets pass delays nothing noticeably; large enough that readings taken a moment apart
 * by two processes never look like one.
 */
const CLOCK_STEP_TOLERANCE_MS = 1_000;

/**
 * How far the clock must pass the recorded high-water mark before the mark is written again. Writing it on
 * every transaction would cost the SQLite outbox a page write per record; the mark then lags the clock by less
 * than this, so a step back is measured at most this much short.
 */
const HIGH_WATER_GRANULARITY_MS = 1_000;

/** What one reading of the wall clock means, next to the high-water mark of the readings before it. */
export type ClockReading =
  /** Nothing to do. */
  | { readonly kind: 'steady' }
  /** The clock moved on: record it as the new high-water mark. */
  | { readonly kind: 'advanced' }
  /**
   * The clock went back by `stepMs`: move every wait back by as much, then record the reading as the new
   * high-water mark.
   */
  | {
      readonly kind: 'stepped-back';
      /** How far the clock went back, ms: the high-water mark less the reading. */
      readonly stepMs: number;
    };

const STEADY: ClockReading = Object.freeze({ kind: 'steady' });
const ADVANCED: ClockReading = Object.freeze({ kind: 'advanced' });

/**
 * Compares a clock reading with the high-water mark a store keeps of its readings: the one place that decides
 * what counts as a step back (NTP, a dead RTC battery, a person setting the time).
 *
 * @param highWater - the highest reading recorded so far (0 when none)
 * @param now - the reading
 */
export function readClock(highWater: number, now: number): ClockReading {
  if (now < highWater - CLOCK_STEP_TOLERANCE_MS) return { kind: 'stepped-back', stepMs: highWater - now };
  return now >= highWater + HIGH_WATER_GRANULARITY_MS ? ADVANCED : STEADY;
}

/**
 * The highest high-water mark that a reading of `now` is not a step back from. A store whose statement writes
 * without reading the mark first makes the write conditional on the mark being at most this: a write that would
 * stamp times in a frame the clock has stepped back from is then left undone, for a path that absorbs the step
 * first.
 *
 * @param now - the reading the write stamps its times with
 */
export function highestSteadyMark(now: number): number {
  return now + CLOCK_STEP_TOLERANCE_MS;
}
