import { EventEmitter } from 'node:events';
import { VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { electronOnline$ } from '../src/online.js';

describe('electronOnline$', () => {
  it('follows net.isOnline() by polling, says offline as the system sleeps, and looks again when it wakes', () => {
    const scheduler = new VirtualTimeScheduler();
    const net = { online: true, isOnline: () => net.online };
    const powerMonitor = new EventEmitter();
    const seen: [number, boolean][] = [];
    const subscription = electronOnline$(net, powerMonitor, { pollMs: 1000, scheduler }).subscribe((online) =>
      seen.push([scheduler.now(), online]),
    );

    scheduler.schedule(() => {
      net.online = false;
    }, 1500);
    scheduler.schedule(() => powerMonitor.emit('resume'), 2500); // still offline: nothing new
    scheduler.schedule(() => {
      net.online = true;
      powerMonitor.emit('resume');
    }, 2600);
    // Going to sleep as a poll comes due, with the network still up: offline until the system wakes.
    scheduler.schedule(() => powerMonitor.emit('suspend'), 3000);
    scheduler.schedule(() => powerMonitor.emit('resume'), 4200);
    scheduler.schedule(() => subscription.unsubscribe(), 5500);
    scheduler.flush();

    expect(seen).toEqual([
      [0, true],
      [2000, false],
      [2600, true],
      [3000, false],
      [4200, true],
    ]);
    expect(powerMonitor.listenerCount('suspend') + powerMonitor.listenerCount('resume')).toBe(0);
  });
});
