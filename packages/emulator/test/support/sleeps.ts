/** Test support: a `sleep` for `startEmulator({ sleep })` that records every delay asked for, without waiting. */

/** A recording sleep; see {@link recordSleeps}. */
export interface RecordedSleeps {
  /** Pass as `startEmulator({ sleep })`. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Every delay asked for, in order. */
  readonly asked: readonly number[];
  /** The delays still held (only with `hold`), oldest first. */
  held(): number[];
  /** The signals handed over with each delay, in order. */
  readonly signals: readonly AbortSignal[];
  /** Ends every held delay. */
  releaseAll(): void;
}

/**
 * A sleep that records delays. By default each ends at once; with `hold` each waits until `releaseAll()`
 * (or for ever, to show that `stop()` does not depend on it).
 */
export function recordSleeps(options: { hold?: boolean } = {}): RecordedSleeps {
  const asked: number[] = [];
  const signals: AbortSignal[] = [];
  const held: { ms: number; release: () => void }[] = [];
  return {
    asked,
    signals,
    sleep(ms, signal) {
      asked.push(ms);
      signals.push(signal);
      if (options.hold !== true) return Promise.resolve();
      return new Promise<void>((release) => held.push({ ms, release }));
    },
    held: () => held.map((h) => h.ms),
    releaseAll() {
      for (const h of held.splice(0)) h.release();
    },
  };
}
