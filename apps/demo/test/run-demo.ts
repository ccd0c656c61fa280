import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The repository root, found from this file. */
export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

/** A demo started as a real process. */
export interface DemoProcess {
  readonly child: ChildProcess;
  /** Everything printed so far (stdout and stderr interleaved). */
  output(): string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
  /** Like `exited`, but kills the demo and rejects with its output if it has not exited within `timeoutMs`. */
  exitWithin(timeoutMs: number): Promise<number | string>;
  /** Resolves with the first match of `pattern` in the output; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Signal the whole process group (pnpm and node). */
  kill(signal?: NodeJS.Signals): void;
  /** Signal the started process only. */
  signal(signal: NodeJS.Signals): void;
}

/**
 * The environment a demo under test runs with: this process's, with every `HUBSPOT_*` variable blanked (a
 * developer's real credentials must neither switch a test to real HubSpot nor make it refuse a half-configured
 * setup), `FORCE_COLOR=0`, then `extra` on top.
 *
 * @param base - usually `process.env`
 * @param extra - variables the test sets, HubSpot's included
 */
export function demoEnv(
  base: Readonly<Record<string, string | undefined>>,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...base, FORCE_COLOR: '0' };
  for (const name of Object.keys(env)) if (name.startsWith('HUBSPOT_')) env[name] = '';
  return { ...env, ...extra };
}

/** The command behind `pnpm demo`, for tests that signal the demo itself rather than pnpm. */
const DEMO_NODE_ARGS = ['--conditions=@hubline/source', '--import', 'tsx', 'apps/demo/src/main.ts'];

/**
 * Run the demo from the repository root in its own process group: `pnpm demo -- <args>` exactly as a user
 * would, or (`via: 'node'`) the node command that script runs, so a signal reaches the demo and not pnpm.
 *
 * @param args - the demo's flags
 * @param via - how to start it
 * @param env - extra environment variables (every `HUBSPOT_*` one is blank unless given here)
 */
export function runDemo(
  args: readonly string[],
  via: 'pnpm' | 'node' = 'pnpm',
  env: Readonly<Record<string, string>> = {},
): DemoProcess {
  const command = via === 'pnpm' ? 'pnpm' : process.execPath;
  const commandArgs = via === 'pnpm' ? ['demo', '--', ...args] : [...DEMO_NODE_ARGS, ...args];
  const child = spawn(command, commandArgs, {
    cwd: REPO_ROOT,
    detached: true,
    env: demoEnv(process.env, env),
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
  const exited = new Promise<number | string>((resolveExit) => {
    child.on('exit', (code, signal) => resolveExit(code ?? signal ?? 'unknown'));
  });
  return {
    child,
    output: () => output,
    exited,
    exitWithin(timeoutMs) {
      return new Promise((resolveExit, reject) => {
        const timer = setTimeout(() => {
          if (child.pid !== undefined) {
            try {
              process.kill(-child.pid, 'SIGKILL');
            } catch {
              // Already gone.
            }
          }
          reject(new Error(`the demo did not exit within ${timeoutMs} ms; its output:\n${output}`));
        }, timeoutMs);
        void exited.then((code) => {
          clearTimeout(timer);
          resolveExit(code);
        });
      });
    },
    waitFor(pattern, timeoutMs) {
      return new Promise((resolveMatch, reject) => {
        const check = (): boolean => {
          const match = output.match(pattern);
          if (match === null) return false;
          listeners.delete(listener);
          clearTimeout(timer);
          resolveMatch(match);
          return true;
        };
        const listener = (): void => void check();
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`no ${pattern} in the demo's output within ${timeoutMs} ms:\n${output}`));
        }, timeoutMs);
        if (!check()) listeners.add(listener);
      });
    },
    signal(signal) {
      child.kill(signal);
    },
    kill(signal = 'SIGTERM') {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, signal);
        } catch {
          // Already gone.
        }
      }
    },
  };
}
