import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

/** One JSON log line of the service. */
export type LogLine = Readonly<Record<string, unknown>> & { readonly msg: string; readonly level: string };

/** The kiosk service running as a real process. Disposing it kills it if it is still running. */
export interface KioskProcess extends AsyncDisposable {
  readonly child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Its JSON log lines so far. */
  lines(): LogLine[];
  /** The first log line that `matches`, waiting up to `timeoutMs` for it. */
  waitForLine(matches: (line: LogLine) => boolean, timeoutMs: number): Promise<LogLine>;
  /** Its exit code (or signal name), waiting up to `timeoutMs`, after which it is killed and this rejects. */
  exitWithin(timeoutMs: number): Promise<number | string>;
}

const EXAMPLE_DIR = path.resolve(import.meta.dirname, '..');

/**
 * Start `src/main.ts` as `pnpm dev` does (node, the workspace's source condition, tsx), with only the given
 * variables besides PATH, so a developer's own HUBSPOT_* variables never reach it.
 *
 * @param env - the service's environment
 */
export function startKioskProcess(env: Readonly<Record<string, string>>): KioskProcess {
  const child = spawn(process.execPath, ['--conditions=@hubline/source', '--import', 'tsx', 'src/main.ts'], {
    cwd: EXAMPLE_DIR,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const lines = (): LogLine[] =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };

  return {
    child,
    output: () => output,
    lines,
    waitForLine(matches, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = lines().find(matches);
          if (found === undefined) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no such log line within ${timeoutMs} ms; output:\n${output}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    exitWithin(timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          kill();
          reject(new Error(`the service did not exit within ${timeoutMs} ms; output:\n${output}`));
        }, timeoutMs);
        void exited.then((code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
    },
    async [Symbol.asyncDispose]() {
      kill();
      await exited;
    },
  };
}
