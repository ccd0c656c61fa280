/**
 * How the PostgreSQL benchmarks turn timings into figures: paired rounds (the store, then its baseline, round after
 * round, so load from anything else on the machine falls on both alike), medians, and numbers as a table prints
 * them.
 */

/** The middle value (the mean of the two middle ones for an even count); `NaN` for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A number with thousands separators and `digits` decimals. */
export function fmt(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Milliseconds `run` took. */
export async function time(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/**
 * Paired timings of the same work by the store and by its baseline. The ratio reported is the baseline's time
 * over the store's (the store's rate as a fraction of the baseline's), over the whole run and as the median of
 * the rounds, which is steadier on a shared machine.
 */
export class Pairs {
  #storeMs = 0;
  #baselineMs = 0;
  readonly #ratios: number[] = [];

  /** Adds one round. */
  add(storeMs: number, baselineMs: number): void {
    this.#storeMs += storeMs;
    this.#baselineMs += baselineMs;
    if (storeMs > 0 && baselineMs > 0) this.#ratios.push(baselineMs / storeMs);
  }

  /** Items per second of the store over all rounds. */
  storeRate(items: number): number {
    return (items / this.#storeMs) * 1000;
  }

  /** Items per second of the baseline over all rounds. */
  baselineRate(items: number): number {
    return (items / this.#baselineMs) * 1000;
  }

  /** The store's rate over the baseline's, over all rounds. */
  get ratio(): number {
    return this.#baselineMs / this.#storeMs;
  }

  /** The median of the rounds' ratios. */
  get medianRatio(): number {
    return median(this.#ratios);
  }
}

/** `✓` or `✗` after a goal. */
export function verdict(goal: string, met: boolean): string {
  return `${goal} ${met ? '✓' : '✗'}`;
}
