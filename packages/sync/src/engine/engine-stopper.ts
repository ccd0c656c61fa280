import { DeliveryError } from '@hubline/core';
import type { EngineParts } from './engine-parts.js';
import { nextPhase } from './engine-phase.js';
import { readStats } from './stats-stream.js';
import { assertStopOptions, createStopDeadline } from './stop-deadline.js';
import type { FlushReport, StopOptions, StopReport } from './types.js';

/** How an engine stops: once, with a deadline that a second call may only bring closer. */
export interface EngineStopper {
  /** See `SyncEngine.stop`. */
  stop(options: StopOptions): Promise<StopReport>;
  /** Whether stop() was called (a drain may still be running). */
  readonly requested: boolean;
}

/** The error every waiter gets once the engine has stopped. */
export function engineStoppedError(): DeliveryError {
  return new DeliveryError('ENGINE_STOPPED', 'The sync engine was stopped');
}

/**
 * Create an engine's stop sequence: drain if asked (until the deadline), stop sending, wait for requests in flight
 * (aborted when the deadline passes), then release every resource and complete the streams.
 *
 * @param parts - the engine's parts
 * @param flush - starts a flush that ends at a 429 pause (a draining stop does not wait one out)
 * @param detach - unsubscribes what the engine subscribed (its triggers and stats stream)
 */
export function createEngineStopper(
  parts: EngineParts,
  flush: () => Promise<FlushReport>,
  detach: () => void,
): EngineStopper {
  const { state, logger } = parts;
  let stopping: Promise<StopReport> | undefined;
  const deadline = createStopDeadline(parts.scheduler, () => {
    state.phase = nextPhase(state.phase, 'stop');
    parts.abortController.abort();
    parts.abandon.next();
  });

  const finish = async (): Promise<StopReport> => {
    deadline.cancel();
    if (deadline.passed()) logger.info('stop deadline reached; anything still in flight was aborted');
    detach();
    parts.timers.clear();
    for (const lane of parts.lanes.values()) lane.close();
    state.phase = nextPhase(state.phase, 'stopped');
    const error = engineStoppedError();
    parts.registry.close(error);
    parts.flushes.rejectAll(error);
    const last = await readStats(parts);
    if (last !== undefined) parts.stats.next(last);
    parts.board.refresh();
    logger.info('sync engine stopped');
    parts.board.complete();
    parts.stats.complete();
    parts.outcomes.complete();
    return { timedOut: deadline.passed() };
  };

  const sequence = async (options: StopOptions): Promise<StopReport> => {
    if (options.timeoutMs !== undefined) deadline.set(options.timeoutMs);
    if (options.drain === true && !deadline.passed()) {
      state.phase = nextPhase(state.phase, 'drain');
      try {
        await Promise.race([flush(), deadline.reached]);
      } catch {
        // Stopped from elsewhere meanwhile (the flush was rejected): carry on stopping.
      }
    }
    state.phase = nextPhase(state.phase, 'stop');
    // No new request: waits for the rate budget or a token end now; requests in flight finish (or the deadline
    // aborts them).
    parts.abandon.next();
    await parts.dispatcher.idle();
    await Promise.all([...parts.lanes.values()].map((lane) => lane.idle()));
    return finish();
  };

  return {
    stop(options) {
      try {
        assertStopOptions(options);
      } catch (error) {
        return Promise.reject(error);
      }
      if (stopping !== undefined) {
        // A second call (a second Ctrl-C, say) may only bring the deadline closer.
        if (options.timeoutMs !== undefined && state.phase !== 'stopped') deadline.set(options.timeoutMs);
        return stopping;
      }
      stopping = sequence(options);
      return stopping;
    },
    get requested() {
      return stopping !== undefined;
    },
  };
}
