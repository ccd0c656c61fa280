import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { listenForStop } from './stop-signals.js';

function setup() {
  const signals = new EventEmitter();
  const forced: string[] = [];
  let time = 1000;
  const stop = listenForStop({
    signals,
    onForce: (signal) => forced.push(signal),
    now: () => time,
    echoMs: 500,
  });
  return {
    signals,
    forced,
    stop,
    advance: (ms: number) => {
      time += ms;
    },
  };
}

describe('listenForStop', () => {
  it('asks for a graceful stop on the first SIGINT or SIGTERM', async () => {
    const { signals, stop, forced } = setup();
    signals.emit('SIGTERM', 'SIGTERM');
    await expect(stop.requested).resolves.toBe('SIGTERM');
    expect(forced).toEqual([]);
  });

  it('treats the same Ctrl-C arriving twice (terminal and pnpm) as one', async () => {
    const { signals, stop, forced, advance } = setup();
    signals.emit('SIGINT', 'SIGINT');
    advance(3);
    signals.emit('SIGINT', 'SIGINT');
    await expect(stop.requested).resolves.toBe('SIGINT');
    expect(forced).toEqual([]);
  });

  it('leaves at once on a second Ctrl-C pressed later', () => {
    const { signals, forced, advance } = setup();
    signals.emit('SIGINT', 'SIGINT');
    advance(500);
    signals.emit('SIGINT', 'SIGINT');
    expect(forced).toEqual(['SIGINT']);
  });

  it('stops listening once disposed', () => {
    const { signals, stop } = setup();
    expect(signals.listenerCount('SIGINT')).toBe(1);
    stop.dispose();
    expect(signals.listenerCount('SIGINT')).toBe(0);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });
});
