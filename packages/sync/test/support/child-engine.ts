import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('../fixtures/engine-child.ts', import.meta.url));

/** A running `engine-child.ts` and the lines it printed. */
export interface ChildEngine {
  readonly process: ChildProcess;
  readonly lines: string[];
  /** Resolves once `predicate` holds for the lines printed so far. */
  until(predicate: (lines: readonly string[]) => boolean, timeoutMs?: number): Promise<void>;
  /** SIGKILL, and wait until it is gone. */
  kill(): Promise<void>;
  /** Ask for `stop({ drain: true })` and wait for the exit. */
  stop(): Promise<void>;
  readonly exited: Promise<NodeJS.Signals | number | null>;
}

/**
 * Spawn the engine child under node with the workspace source condition and tsx.
 *
 * @param config - the child's JSON configuration (see `fixtures/engine-child.ts`)
 */
export function startChildEngine(config: Record<string, unknown>): ChildEngine {
  const child = spawn(
    process.execPath,
    ['--conditions=@hubline/source', '--import', 'tsx', CHILD, JSON.stringify(config)],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const wake of waiters) wake();
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => {
    child.on('exit', (code, signal) => {
      for (const wake of waiters) wake();
      resolve(signal ?? code);
    });
  });
  const until = (predicate: (lines: readonly string[]) => boolean, timeoutMs = 20_000): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(
          new Error(`engine child did not get there in ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`),
        );
      }, timeoutMs);
      function check(): void {
        if (predicate(lines)) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        } else if (child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(timer);
          waiters.delete(check);
          reject(new Error(`engine child exited early; stderr: ${stderr.slice(-2000)}`));
        }
      }
      waiters.add(check);
      check();
    });
  return {
    process: child,
    lines,
    exited,
    until,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.stdin!.write('stop\n');
      await until((seen) => seen.includes('stopped'), 30_000);
      await exited;
    },
  };
}
