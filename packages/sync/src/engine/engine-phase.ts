/**
 * Where the engine is in its life: one value instead of several booleans that must agree.
 *
 * `created` → `running` (start) → `draining` (stop with drain: sends what is due first) → `stopping` (no new
 * request; requests in flight finish or are aborted) → `stopped`. `stop()` may skip `running` or `draining`.
 */
export type EnginePhase = 'created' | 'running' | 'draining' | 'stopping' | 'stopped';

/** What moves the engine from one phase to the next. */
export type EnginePhaseEvent =
  /** `start()` was called. */
  | 'start'
  /** `stop({ drain: true })` was called. */
  | 'drain'
  /** Stop sending: `stop()` without drain, the end of a drain, or the stop deadline. */
  | 'stop'
  /** Everything in flight has finished: the streams complete. */
  | 'stopped';

/**
 * The phase after `event`, or the same phase when the event does not apply (a second `start()`, a drain asked for
 * while already stopping). Phases only move forward.
 *
 * @param phase - the current phase
 * @param event - what happened
 */
export function nextPhase(phase: EnginePhase, event: EnginePhaseEvent): EnginePhase {
  switch (event) {
    case 'start':
      return phase === 'created' ? 'running' : phase;
    case 'drain':
      return phase === 'created' || phase === 'running' ? 'draining' : phase;
    case 'stop':
      return phase === 'stopped' ? phase : 'stopping';
    case 'stopped':
      return 'stopped';
  }
}

/**
 * Whether an engine in `phase` may start a request. A `created` engine may: it sends only when asked to
 * (`flush()`, or `stop({ drain: true })` before `start()`), since nothing else triggers it.
 */
export function maySend(phase: EnginePhase): boolean {
  return phase !== 'stopping' && phase !== 'stopped';
}
