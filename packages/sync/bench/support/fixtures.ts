import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TimelineEventInput } from '@hubline/core';
import { openOutbox } from '@hubline/outbox';

/** A valid "visit" event for the emulator's default template, about 150 bytes on the wire. */
export function visit(n: number): TimelineEventInput {
  return {
    eventTemplateId: '1001234',
    email: `visitor${n % 5000}@example.com`,
    tokens: { page: `/pricing/${n % 97}`, seconds: n % 300 },
  };
}

/** A fresh temporary folder and a function that deletes it. */
export function tempDir(): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'hubline-bench-'));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Create an outbox file holding `count` recorded events; returns how long recording took.
 *
 * @param path - database file
 * @param count - events to record, in transactions of 5000
 */
export function prefillOutbox(path: string, count: number): { ms: number; ids: string[] } {
  const outbox = openOutbox({ path });
  const started = performance.now();
  const ids: string[] = [];
  for (let from = 0; from < count; from += 5000) {
    const inputs = Array.from({ length: Math.min(5000, count - from) }, (_, i) => visit(from + i));
    for (const id of outbox.recordMany(inputs)) ids.push(id);
  }
  const ms = performance.now() - started;
  outbox.close();
  return { ms, ids };
}

/** Format a number with thousands separators and `digits` decimals. */
export function fmt(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
