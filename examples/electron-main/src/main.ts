/**
 * Hubline in an Electron main process (ESM: Electron 28 and later). The outbox lives in the app's `userData`
 * directory, the engine pauses while the machine is offline or asleep, the renderer records events over IPC, and
 * quitting gives the engine a moment to send what is left. Import it from your app's main module:
 *
 * ```ts
 * import { startHubline } from './hubline/main.js';
 * await startHubline({ accessToken: () => tokenFromYourBackend(), isTrustedSender: (url) => url.startsWith('file://') });
 * ```
 */
import * as path from 'node:path';
import { type Logger, silentLogger } from '@hubline/core';
import { type Outbox, openOutbox } from '@hubline/outbox';
import { type AccessTokenSource, createSyncEngine, type SyncEngine } from '@hubline/sync';
import { app, ipcMain, net, powerMonitor } from 'electron';
import { electronOnline$ } from './online.js';
import { registerRecordHandler } from './record-handler.js';

/** Options of {@link startHubline}. */
export interface HublineMainOptions {
  /**
   * Where HubSpot access tokens come from. A desktop app is in its users' hands: ship it no client secret and no
   * long-lived token. Ask your backend for a short-lived access token for the signed-in user instead, e.g.
   * `() => fetch(…).then((r) => r.json()).then((t) => t.accessToken)` — the engine asks again after a 401.
   */
  readonly accessToken: AccessTokenSource;
  /** Whether a frame at this URL is the app's own UI and may record events. */
  readonly isTrustedSender: (url: string) => boolean;
  /** HubSpot's API root, or the emulator's URL. @default 'https://api.hubapi.com' */
  readonly baseUrl?: string;
  /** How long quitting waits for what is left to be sent; the rest goes on the next launch. @default 3000 */
  readonly quitTimeoutMs?: number;
  /** Where the outbox and the engine report. @default silent */
  readonly logger?: Logger;
}

/** What {@link startHubline} started, for status displays (`sync.status$`, `sync.stats$`). */
export interface HublineMain {
  /** The outbox in the app's userData folder. */
  readonly outbox: Outbox;
  /** The engine delivering it. */
  readonly sync: SyncEngine;
}

/** The outbox file, in the app's own per-user directory. */
const OUTBOX_FILE = 'hubline-outbox.db';

/**
 * Open the outbox in `userData`, start the engine (paused while offline or asleep), answer the renderer's
 * `record` over IPC, and stop everything when the app quits.
 *
 * @param options - credentials, who may record, and how long quitting may take
 */
export async function startHubline(options: HublineMainOptions): Promise<HublineMain> {
  const logger = options.logger ?? silentLogger;
  // powerMonitor cannot be used before the app is ready.
  await app.whenReady();
  const outbox = openOutbox({ path: path.join(app.getPath('userData'), OUTBOX_FILE), logger });
  const sync = createSyncEngine({
    outbox,
    accessToken: options.accessToken,
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
    online$: electronOnline$(net, powerMonitor),
    logger,
  });
  const unregister = registerRecordHandler(ipcMain, outbox, {
    isTrustedSender: options.isTrustedSender,
    logger,
  });
  sync.start();

  let phase: 'running' | 'stopping' | 'stopped' = 'running';
  app.on('before-quit', (event) => {
    if (phase === 'stopped') return;
    // Hold the quit until the engine has stopped and the outbox is closed; then quit again.
    event.preventDefault();
    if (phase === 'stopping') return;
    phase = 'stopping';
    unregister();
    sync
      .stop({ drain: true, timeoutMs: options.quitTimeoutMs ?? 3000 })
      .catch((error: unknown) => logger.error('hubline stop failed', { error }))
      .finally(() => {
        outbox.close();
        phase = 'stopped';
        app.quit();
      });
  });
  return { outbox, sync };
}
