import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';

/** How the emulator waits: the delay asked for, and a signal that `stop()` aborts. */
export type SleepFunction = (ms: number, signal: AbortSignal) => Promise<void>;

/** The default sleep: a real timer, cleared when `signal` aborts. */
function realSleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}

/**
 * The injected (or real) sleep, ended early by `stop()` whether or not the injected one honours the signal.
 * Every delay of the emulator goes through it: latency, `slow` faults, dripping bodies, hangs, `forMs`.
 */
export class Sleeper {
  readonly #wait: SleepFunction;
  // Aborted by stop(): ends every pending delay. Each delay listens while it waits, so there may be many.
  readonly #stopping = new AbortController();

  /**
   * A sleeper that waits with `wait`.
   *
   * @param wait - the emulator's `sleep` option, for tests on virtual time. @default a real timer
   */
  constructor(wait: SleepFunction = realSleep) {
    this.#wait = wait;
    setMaxListeners(0, this.#stopping.signal);
  }

  /** Whether `stop()` was called. */
  get stopped(): boolean {
    return this.#stopping.signal.aborted;
  }

  /** Waits `ms` (as the injected sleep decides), or until `stop()`. */
  sleep(ms: number): Promise<void> {
    const signal = this.#stopping.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      signal.addEventListener('abort', done);
      this.#wait(ms, signal).then(done, done);
    });
  }

  /** Ends every pending delay at once; later ones end at once too. */
  stop(): void {
    this.#stopping.abort();
  }
}
