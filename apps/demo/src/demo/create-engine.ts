import type { DeliveryStore } from '@hubline/core/store';
import { defaultAccessToken } from '@hubline/emulator';
import {
  type AccountTokenSources,
  createSyncEngine,
  oauthRefreshToken,
  type SyncEngine,
} from '@hubline/sync';
import type { Observable } from 'rxjs';
import type { DemoTarget } from '../target/resolve-target.js';

/** What the demo's engine is built from. */
export interface DemoEngineOptions {
  /** The demo's outbox, which the engine drains: the SQLite file, or (`--postgres`) one worker's PostgreSQL store. */
  readonly outbox: DeliveryStore;
  /** Where to send: the emulator (short timings) or real HubSpot (its credentials and the library's defaults). */
  readonly target: DemoTarget;
  /** The emulator's URL (emulator target only). */
  readonly emulatorUrl?: string;
  /** The simulated network. */
  readonly online$: Observable<boolean>;
  /** Each account's token source (emulator target, several accounts); without it one token serves every event. */
  readonly accounts?: AccountTokenSources;
}

/**
 * The one place the demo builds its sync engine. Against the emulator, timings are shortened so a minute of demo
 * shows several outages, retries and recoveries; the slow-answer fault (2.5 s) outlasts the 2 s request timeout on
 * purpose. Against real HubSpot the library's defaults apply, but for a quicker poll, stats and rate window (so
 * the terminal and the dashboard move as they do against the emulator).
 *
 * @param options - see {@link DemoEngineOptions}
 */
export function createDemoEngine(options: DemoEngineOptions): SyncEngine {
  const { outbox, target, online$ } = options;
  if (target.kind === 'emulator') {
    if (options.emulatorUrl === undefined) throw new TypeError('createDemoEngine: emulatorUrl is required');
    return createSyncEngine({
      outbox,
      online$,
      baseUrl: options.emulatorUrl,
      ...(options.accounts === undefined
        ? { accessToken: defaultAccessToken }
        : { accounts: options.accounts }),
      requestTimeoutMs: 2000,
      // Two requests at once (still within HubSpot's 100 per 10 s) let a backlog built during a 429 pause or an
      // outage drain between the next ones; with one, `storm` at the default rate never caught up.
      maxInFlight: 2,
      leaseMs: 10_000,
      maxAttempts: 8,
      backoff: { baseMs: 250, maxMs: 4000 },
      pollIntervalMs: 500,
      offlineProbeMs: 500,
      statsIntervalMs: 250,
      rateWindowMs: 2000,
    });
  }
  const { credentials } = target;
  return createSyncEngine({
    outbox,
    online$,
    baseUrl: target.baseUrl,
    accessToken:
      credentials.type === 'access-token'
        ? credentials.accessToken
        : oauthRefreshToken({
            clientId: credentials.clientId,
            clientSecret: credentials.clientSecret,
            refreshToken: credentials.refreshToken,
            baseUrl: target.baseUrl,
          }),
    pollIntervalMs: 2000,
    statsIntervalMs: 500,
    // The demo shows the engine's own delivery rate; over two seconds, as against the emulator, it follows a burst.
    rateWindowMs: 2000,
  });
}
