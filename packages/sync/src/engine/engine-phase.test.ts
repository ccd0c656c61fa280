import { describe, expect, it } from 'vitest';
import { type EnginePhase, type EnginePhaseEvent, maySend, nextPhase } from './engine-phase.js';

describe('nextPhase', () => {
  it.each<[EnginePhase, EnginePhaseEvent, EnginePhase]>([
    ['created', 'start', 'running'],
    ['running', 'start', 'running'],
    ['stopping', 'start', 'stopping'],
    ['created', 'drain', 'draining'],
    ['running', 'drain', 'draining'],
    ['stopping', 'drain', 'stopping'],
    ['running', 'stop', 'stopping'],
    ['draining', 'stop', 'stopping'],
    ['stopped', 'stop', 'stopped'],
    ['stopping', 'stopped', 'stopped'],
  ])('%s + %s → %s', (phase, event, expected) => {
    expect(nextPhase(phase, event)).toBe(expected);
  });

  it('lets an engine send until it starts stopping', () => {
    expect(
      ['created', 'running', 'draining', 'stopping', 'stopped'].map((p) => maySend(p as EnginePhase)),
    ).toEqual([true, true, true, false, false]);
  });
});
