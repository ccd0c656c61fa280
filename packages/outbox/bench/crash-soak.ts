/**
 * A longer crash soak than the test suite's: SIGKILLs recording and claiming children at random moments,
 * `KILLS` times (default 200), and after every kill checks that each id a child reported is stored exactly
 * once, that nothing delivered came back, and that `PRAGMA integrity_check` is `ok`. Prints a summary table.
 *
 * Run: `npx tsx --conditions=@hubline/source packages/outbox/bench/crash-soak.ts [kills]`
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseOf, openOutbox } from '../test/inspect.js';

const KILLS = Number(process.argv[2] ?? 200);
const PARALLEL = 4;
const CHILD = fileURLToPath(new URL('../test/fixtures/outbox-child.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hubline-outbox-soak-'));

function run(args: string[]): { child: ChildProcess; lines: string[]; started: Promise<void> } {
  const child = spawn(process.execPath, ['--conditions=@hubline/source', '--import', 'tsx', CHILD, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let partial = '';
  let resolveStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    resolveStarted = resolve;
  });
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    if (lines.some((line) => line.startsWith('R ') || line.startsWith('C '))) resolveStarted();
  });
  child.on('exit', () => resolveStarted());
  return { child, lines, started };
}

async function lane(
  index: number,
  kills: number,
): Promise<{ kills: number; acknowledged: number; delivered: number }> {
  const path = join(dir, `soak-${index}.db`);
  const acknowledged: string[] = [];
  const delivered = new Set<string>();
  for (let kill = 0; kill < kills; kill++) {
    const mode = kill % 3 === 2 ? 'churn' : 'record';
    const { child, lines, started } = run(mode === 'churn' ? ['churn', path, `w${kill}`] : ['record', path]);
    await started;
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 150));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve).exitCode !== null && resolve(undefined));
    for (const line of lines) {
      if (line.startsWith('R ')) acknowledged.push(line.slice(2));
      if (line.startsWith('D ')) delivered.add(line.slice(2));
    }
    const outbox = openOutbox({ path });
    try {
      const db = databaseOf(outbox);
      const integrity = db.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok')
        throw new Error(`lane ${index} kill ${kill}: integrity_check ${String(integrity)}`);
      const copies = db.prepare('SELECT count(*) FROM entries WHERE id = ?').pluck();
      for (const id of acknowledged) {
        if (copies.get(id) !== 1)
          throw new Error(`lane ${index} kill ${kill}: ${id} stored ${String(copies.get(id))} times`);
      }
      for (const id of delivered) {
        if (outbox.get(id)?.status !== 'delivered')
          throw new Error(`lane ${index} kill ${kill}: ${id} not delivered`);
      }
    } finally {
      outbox.close();
    }
  }
  return { kills, acknowledged: acknowledged.length, delivered: delivered.size };
}

try {
  const started = performance.now();
  const perLane = Math.ceil(KILLS / PARALLEL);
  const results = await Promise.all(Array.from({ length: PARALLEL }, (_, index) => lane(index, perLane)));
  console.table(results.map((result, index) => ({ lane: index, ...result })));
  console.log(
    `${results.reduce((sum, r) => sum + r.kills, 0)} kills, all checks passed, ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
