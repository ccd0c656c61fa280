import type { Net, PowerMonitor } from 'electron';
import { asyncScheduler, distinctUntilChanged, interval, Observable, type SchedulerLike } from 'rxjs';

/** Options of {@link electronOnline$}. */
export interface ElectronOnlineOptions {
  /** Ask `net.isOnline()` this often, in ms: Electron's main process has no event for a network change. @default 5000 */
  readonly pollMs?: number;
  /** Time source of the poll. @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

/**
 * The host's connectivity for the engine's `online$`: `net.isOnline()` at once and every `pollMs`; `false` from
 * the moment the system starts to go to sleep until it wakes, and a fresh look then. While it says `false` the
 * engine sends nothing and spends no attempt; when it turns `true` the engine sends what waited at once.
 * (`net.isOnline()` can say `true` on a network that does not reach HubSpot; the engine finds that out itself.)
 *
 * @param net - Electron's `net`
 * @param powerMonitor - Electron's `powerMonitor` (usable once the app is ready)
 * @param options - poll interval and scheduler
 * @example
 * ```ts
 * const sync = createSyncEngine({ outbox, accessToken, online$: electronOnline$(net, powerMonitor) });
 * ```
 */
export function electronOnline$(
  net: Pick<Net, 'isOnline'>,
  powerMonitor: Pick<PowerMonitor, 'on' | 'off'>,
  options: ElectronOnlineOptions = {},
): Observable<boolean> {
  const { pollMs = 5000, scheduler = asyncScheduler } = options;
  return new Observable<boolean>((subscriber) => {
    // Between `suspend` and `resume` the network may still look up for a moment: the machine is going to sleep.
    let asleep = false;
    const look = (): void => subscriber.next(!asleep && net.isOnline());
    const sleep = (): void => {
      asleep = true;
      look();
    };
    const wake = (): void => {
      asleep = false;
      look();
    };
    powerMonitor.on('suspend', sleep);
    powerMonitor.on('resume', wake);
    const poll = interval(pollMs, scheduler).subscribe(look);
    look();
    return () => {
      poll.unsubscribe();
      powerMonitor.off('suspend', sleep);
      powerMonitor.off('resume', wake);
    };
  }).pipe(distinctUntilChanged());
}
