import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TimelineEventInput, WireDialect } from '@hubline/core';
import { defaultAccessToken, type RunningEmulator, type StoredEvent } from '@hubline/emulator';
import { type Outbox, type OutboxOptions, openOutbox } from '@hubline/outbox';
import { createSyncEngine } from '../../src/engine/create-sync-engine.js';
import type { SyncEngine, SyncEngineOptions, SyncOutcome } from '../../src/engine/types.js';

/** A real outbox on a fresh temporary file; `dispose()` closes it and deletes the folder. */
export interface TempOutbox {
  readonly outbox: Outbox;
  readonly path: string;
  readonly dir: string;
  dispose(): void;
}

/**
 * Open a real SQLite outbox in a new temporary folder.
 *
 * @param options - outbox options besides the path
 */
export function openTempOutbox(options: Partial<OutboxOptions> = {}): TempOutbox {
  const dir = mkdtempSync(join(tmpdir(), 'hubline-sync-'));
  const path = join(dir, 'outbox.db');
  const outbox = openOutbox({ path, ...options });
  return {
    outbox,
    path,
    dir,
    dispose() {
      outbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A valid "visit" event for the emulator's default template `1001234`. */
export function visit(n: number, overrides: Partial<TimelineEventInput> = {}): TimelineEventInput {
  return {
    eventTemplateId: '1001234',
    email: `visitor${n}@example.com`,
    tokens: { page: `/page/${n}`, seconds: n % 120 },
    ...overrides,
  };
}

/** Engine options tuned for tests over real HTTP: short waits, no pacing, the emulator's token. */
export function fastEngineOptions(
  emulator: RunningEmulator,
  outbox: Outbox,
  dialect: WireDialect,
  overrides: Partial<SyncEngineOptions> = {},
): SyncEngineOptions {
  return {
    outbox,
    accessToken: defaultAccessToken,
    baseUrl: emulator.url,
    dialect,
    rateLimit: false,
    requestTimeoutMs: 2000,
    backoff: { baseMs: 20, maxMs: 200 },
    pollIntervalMs: 100,
    offlineProbeMs: 150,
    authRetryMs: 300,
    statsIntervalMs: 100,
    ...overrides,
  };
}

/** Start an engine and record its outcomes. */
export function startRecording(options: SyncEngineOptions): { engine: SyncEngine; outcomes: SyncOutcome[] } {
  const engine = createSyncEngine(options);
  const outcomes: SyncOutcome[] = [];
  engine.outcomes$.subscribe((outcome) => outcomes.push(outcome));
  engine.start();
  return { engine, outcomes };
}

/** Stored events per id, to check that each arrived exactly once. */
export function storedById(emulator: RunningEmulator): Map<string, StoredEvent[]> {
  const byId = new Map<string, StoredEvent[]>();
  for (const event of emulator.events()) {
    const list = byId.get(event.id) ?? [];
    list.push(event);
    byId.set(event.id, list);
  }
  return byId;
}

/** Wait (really) until `check` holds, polling every 20 ms; throws after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
