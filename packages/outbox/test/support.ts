import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TimelineEventInput } from '@hubline/core';

/** A fresh directory in the OS temp folder; `remove()` deletes it. */
export interface TempDir {
  readonly dir: string;
  path(name?: string): string;
  remove(): void;
}

/** Creates a {@link TempDir}. */
export function tempDir(): TempDir {
  const dir = mkdtempSync(join(tmpdir(), 'hubline-outbox-'));
  return {
    dir,
    path: (name = 'outbox.db') => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A valid event input, distinct per `n`. */
export function sampleInput(n: number, extra: Partial<TimelineEventInput> = {}): TimelineEventInput {
  return {
    eventTemplateId: '1001234',
    email: `visitor-${n}@example.com`,
    tokens: { page: `/pricing/${n}`, seconds: n },
    ...extra,
  };
}

/** A manual clock: `now()` is the time, `advance(ms)` moves it. */
export function manualClock(start = Date.UTC(2026, 10, 29, 12)): {
  now: () => number;
  advance(ms: number): void;
} {
  let time = start;
  return {
    now: () => time,
    advance(ms: number) {
      time += ms;
    },
  };
}

/** The node arguments that run a TypeScript child script from the workspace sources. */
export function childArgs(script: string): string[] {
  return ['--conditions=@hubline/source', '--import', 'tsx', script];
}

/** What `run` throws; fails the test when it returns instead. */
export function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
