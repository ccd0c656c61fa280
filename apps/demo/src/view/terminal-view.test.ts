import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { DemoSnapshot } from '../demo/snapshot.js';
import { createTerminalView } from './terminal-view.js';

const snapshot = (at: number, delivered: number): DemoSnapshot => ({
  at,
  uptimeMs: at,
  target: 'emulator',
  online: delivered % 2 === 0,
  scheduledDrops: true,
  scheduleAvailable: true,
  faults: 'flaky',
  recording: true,
  status: { state: 'sending' },
  recorded: 1250,
  goal: null,
  pending: 40,
  inFlight: 100,
  delivered,
  dead: 0,
  backlogBytes: 0,
  oldestPendingAgeMs: 0,
  requests: 38,
  rateLimited: 1,
  retries: 0,
  deliveryRate: 96.5,
  emulator: null,
});

function capture(tty?: { columns: number }) {
  const stream = new PassThrough();
  if (tty !== undefined) Object.assign(stream, { isTTY: true, columns: tty.columns });
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

describe('createTerminalView (not a terminal)', () => {
  it('prints one plain status line per interval with every counter', () => {
    const out = capture();
    const view = createTerminalView({ stream: out.stream, live: false, plainIntervalMs: 2000 });
    view.update(snapshot(2000, 1110));
    view.update(snapshot(2500, 1111));
    view.update(snapshot(4000, 1112));
    const lines = out.text().trim().split('\n');
    expect(lines).toEqual([
      '[2.0s] recorded 1,250 | pending 40 | in flight 100 | delivered 1,110 | dead 0 | requests 38 | 429s 1 | 96.5/s | sending | network up',
      '[4.0s] recorded 1,250 | pending 40 | in flight 100 | delivered 1,112 | dead 0 | requests 38 | 429s 1 | 96.5/s | sending | network up',
    ]);
  });

  it('prints notices as they come', () => {
    const out = capture();
    const view = createTerminalView({ stream: out.stream, live: false });
    view.log('fault profile: storm');
    expect(out.text()).toBe('fault profile: storm\n');
  });
});

/** What a terminal shows, as text: escape sequences removed, each cursor jump to column 1 starting a new line. */
function screenLines(raw: string): string[] {
  return (
    raw
      // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences
      .replace(/\x1b\[[0-9;]*[GABCDHf]/g, '\n')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences
      .replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '')
      .split(/\r?\n|\r/)
  );
}

describe('createTerminalView (a terminal)', () => {
  it('shows lines logged just before stop(), and the counters, even when nothing was redrawn in between', () => {
    const out = capture({ columns: 80 });
    const view = createTerminalView({ stream: out.stream });
    view.update(snapshot(26_000, 1110));
    view.log('SIGINT: stopping the kiosks…');
    view.log('All 300 events are settled; stopping.');
    view.stop();
    const text = screenLines(out.text()).join('\n');
    expect(text).toContain('SIGINT: stopping the kiosks…');
    expect(text).toContain('All 300 events are settled; stopping.');
    expect(text).toMatch(/recorded 1,250/);
    expect(text).toMatch(/pending 40/);
  });

  it('fits every line in 80 columns without cutting off a field, big numbers included', () => {
    const out = capture({ columns: 80 });
    const view = createTerminalView({ stream: out.stream });
    view.update({
      ...snapshot(1_586_000, 1_325_431),
      recorded: 2_598_112,
      pending: 1_203_554,
      inFlight: 200,
      dead: 12_345,
      requests: 131_325,
      rateLimited: 1_009,
      retries: 140_221,
      deliveryRate: 1234.5,
      online: false,
      faults: 'storm',
      status: { state: 'rate-limited', reason: 'HubSpot said 429 (TEN_SECONDLY_ROLLING)' },
    });
    view.stop();
    const lines = screenLines(out.text());
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    const text = lines.join('\n');
    expect(text).toMatch(/1,325,431/);
    expect(text).toMatch(/1,234\.5 delivered\/s/);
    expect(text).toMatch(/429s 1,009/);
    expect(text).toMatch(/network DOWN/);
    expect(text).toMatch(/faults storm/);
    expect(text).toMatch(/26m 26s/);
    expect(text).toMatch(/TEN_SECONDLY_ROLLING/);
  });

  it('prints what is logged after stop() as plain lines', () => {
    const out = capture({ columns: 80 });
    const view = createTerminalView({ stream: out.stream });
    view.stop();
    view.log('after the end');
    expect(out.text()).toMatch(/after the end\n$/);
  });
});
