/** What the drain loop runs. */
export interface DrainLoopOptions {
  /** One pass: send everything due now. */
  pass(): Promise<void>;
  /** After the last pass of a run (no trigger arrived meanwhile): schedule timers, answer flushes. */
  afterLoop(): void | Promise<void>;
  /** A pass threw; the loop carries on with the next trigger. */
  onError(error: unknown): void;
  /** The loop has stopped running (after `afterLoop`, with no trigger left): `running` is false by now. */
  onIdle?(): void;
}

/** A loop that coalesces triggers: never two passes at once, and no trigger lost while one runs. */
export interface DrainLoop {
  /** Ask for a pass: starts one now, or one more after the current pass. */
  kick(): void;
  /** Whether a pass is running. */
  readonly running: boolean;
  /** Resolves once no pass is running. */
  idle(): Promise<void>;
}

/**
 * Create a coalescing drain loop. Any number of triggers while a pass runs collapse into one further pass, so
 * the loop never runs twice at once and never misses work recorded during a pass.
 *
 * `exhaustMap` alone would drop a trigger arriving between the end of the last pass and the completion of the
 * inner observable (a microtask later); the `again` flag checked after the run closes that gap.
 *
 * @param options - the pass and what to do after it
 */
export function createDrainLoop(options: DrainLoopOptions): DrainLoop {
  let again = false;
  let current: Promise<void> | undefined;

  const run = async (): Promise<void> => {
    while (again) {
      again = false;
      try {
        await options.pass();
      } catch (error) {
        options.onError(error);
      }
    }
    try {
      await options.afterLoop();
    } catch (error) {
      options.onError(error);
    }
  };

  const kick = (): void => {
    again = true;
    if (current !== undefined) return;
    current = run().finally(() => {
      current = undefined;
      if (again) kick();
      else options.onIdle?.();
    });
  };

  return {
    kick,
    get running() {
      return current !== undefined;
    },
    async idle() {
      while (current !== undefined) await current;
    },
  };
}
