import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { childArgs } from './support.js';

const CHILD = fileURLToPath(new URL('./fixtures/outbox-child.ts', import.meta.url));

/** A child that dies mid-transaction in rollback-journal mode, leaving a hot journal (`fixtures/rollback-writer-child.ts`). */
export const ROLLBACK_WRITER_CHILD = fileURLToPath(
  new URL('./fixtures/rollback-writer-child.ts', import.meta.url),
);

/** A child that leaves an outbox file at schema 99 in a WAL never checkpointed (`fixtures/newer-schema-child.ts`). */
export const NEWER_SCHEMA_CHILD = fileURLToPath(new URL('./fixtures/newer-schema-child.ts', import.meta.url));

/** Every child still running: a test that fails or times out must not leave them writing for ever. */
const running = new Set<ChildProcess>();

afterEach(async () => {
  const left = [...running];
  for (const child of left) child.kill('SIGKILL');
  await Promise.all(left.map((child) => new Promise((resolve) => child.once('exit', resolve))));
});

/** A running `outbox-child.ts` and the complete lines it has printed so far. */
export interface Child {
  readonly process: ChildProcess;
  readonly lines: string[];
  /** Resolves once `predicate` holds for the lines printed so far. */
  until(predicate: (lines: readonly string[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<NodeJS.Signals | number | null>;
}

/**
 * Starts a child script under node with the workspace source condition and tsx.
 *
 * @param args - mode, database path and owner
 * @param script - the script's path @default `fixtures/outbox-child.ts`
 */
export function startChild(args: string[], script: string = CHILD): Child {
  const child = spawn(process.execPath, [...childArgs(script), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? ''; // a line cut by SIGKILL is not a report
    lines.push(...parts);
    for (const wake of waiters) wake();
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => {
    child.on('exit', (code, signal) => {
      running.delete(child);
      for (const wake of waiters) wake();
      resolve(signal ?? code);
    });
  });
  return {
    process: child,
    lines,
    exited,
    until(predicate, timeoutMs = 15_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`child did not get there in ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`));
        }, timeoutMs);
        function check() {
          if (predicate(lines)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(
              new Error(
                `child exited early (${child.exitCode ?? child.signalCode}); stderr: ${stderr.slice(-2000)}`,
              ),
            );
          }
        }
        waiters.add(check);
        check();
      });
    },
  };
}

/** SIGKILLs the child and waits for it to be gone. */
export async function kill(child: Child): Promise<void> {
  child.process.kill('SIGKILL');
  await child.exited;
}
