import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A bench child process and the lines it printed. */
export interface BenchChild {
  readonly process: ChildProcess;
  readonly lines: readonly string[];
  /** Resolves once `predicate` holds for the lines so far; rejects when the child exits first or after `timeoutMs`. */
  until(predicate: (lines: readonly string[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Writes one line to its stdin. */
  send(line: string): void;
  /** SIGKILL, and wait until it is gone. */
  kill(): Promise<void>;
  /** Resolves with its exit code or signal. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
}

/**
 * Runs a TypeScript file of this folder in a node process of its own (workspace sources through tsx), with one
 * JSON argument, and collects what it prints line by line.
 *
 * @param file - file name inside `bench/support`
 * @param argument - its configuration, passed as one JSON argument
 */
export function startChild(file: string, argument: unknown): BenchChild {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@hubline/source',
      '--import',
      'tsx',
      fileURLToPath(new URL(`./${file}`, import.meta.url)),
      JSON.stringify(argument),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let partial = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const wake of waiters) wake();
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  // A SIGKILLed child's stdin may be written to once more before the parent hears of the exit.
  child.stdin!.on('error', () => undefined);
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => {
      for (const wake of waiters) wake();
      resolve(signal ?? code);
    }),
  );
  const gone = (): boolean => child.exitCode !== null || child.signalCode !== null;
  return {
    process: child,
    lines,
    exited,
    until: (predicate, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (predicate(lines)) finish();
          else if (gone()) finish(new Error(`${file} exited early: ${stderr}`));
        };
        const timer = setTimeout(() => finish(new Error(`${file}: timed out; stderr: ${stderr}`)), timeoutMs);
        const finish = (error?: Error): void => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error === undefined) resolve();
          else reject(error);
        };
        waiters.add(check);
        check();
      }),
    send(line) {
      if (!gone()) child.stdin!.write(`${line}\n`);
    },
    async kill() {
      if (!gone()) child.kill('SIGKILL');
      await exited;
    },
  };
}
