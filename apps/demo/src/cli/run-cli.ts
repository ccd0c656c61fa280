import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Dashboard, startDashboard } from '../dashboard/dashboard-server.js';
import { createDemo, type Demo } from '../demo/create-demo.js';
import { formatFinalReport } from '../report/final-report.js';
import { type DemoTarget, resolveTarget, TargetConfigError } from '../target/resolve-target.js';
import { createTerminalView } from '../view/terminal-view.js';
import { CliUsageError, type DemoCliOptions, EXIT_CODES, parseCli, USAGE } from './parse-cli.js';
import { listenForStop } from './stop-signals.js';

/** What {@link runCli} talks to; the process's own by default. */
export interface CliIo {
  /** The live view or plain lines, and the report. @default process.stdout */
  readonly stdout: NodeJS.WriteStream;
  /** Usage errors. @default process.stderr */
  readonly stderr: NodeJS.WritableStream;
  /** HubSpot credentials switch the target to real HubSpot. @default process.env */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where SIGINT and SIGTERM arrive. @default process */
  readonly signals: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
  /** Leaves at once, on a second Ctrl-C. @default process.exit */
  readonly exit: (code: number) => void;
  /** Epoch-ms clock that tells a second Ctrl-C from an echo of the first. @default Date.now */
  readonly now?: () => number;
}

/**
 * Check what can be checked about the outbox path without creating anything: it must not be a folder, and its
 * folder, when it exists, must be one.
 */
function checkDbPath(db: string): void {
  const path = resolve(db);
  const kind = (at: string): 'missing' | 'file' | 'folder' => {
    try {
      return statSync(at).isDirectory() ? 'folder' : 'file';
    } catch {
      return 'missing';
    }
  };
  if (kind(path) === 'folder') throw new CliUsageError(`--db must name a file, but ${path} is a folder`);
  for (let folder = dirname(path); folder !== dirname(folder); folder = dirname(folder)) {
    const found = kind(folder);
    if (found === 'folder') return;
    if (found === 'file') throw new CliUsageError(`--db: ${folder} is a file, so ${path} cannot be created`);
  }
}

/** A command line ready to run, or the exit code it ends with before anything starts. */
type Preflight =
  | { readonly kind: 'run'; readonly cli: DemoCliOptions; readonly target: DemoTarget }
  | { readonly kind: 'done'; readonly exitCode: number };

/**
 * Everything checked before anything starts: the flags, the environment's target and the outbox path. `--help`
 * and a usage error end here, with what they print.
 */
function preflight(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Preflight {
  try {
    const cli = parseCli(argv);
    if (cli.help) {
      stdout.write(`${USAGE}\n`);
      return { kind: 'done', exitCode: EXIT_CODES.ok };
    }
    const target = resolveTarget(env);
    checkDbPath(cli.db);
    return { kind: 'run', cli, target };
  } catch (error) {
    if (error instanceof CliUsageError || error instanceof TargetConfigError) {
      stderr.write(`hubline demo: ${error.message}\nRun with --help for the options.\n`);
      return { kind: 'done', exitCode: EXIT_CODES.usage };
    }
    throw error;
  }
}

/** The first line: what the kiosks will do. */
function introLine(cli: DemoCliOptions): string {
  const kiosks = `${cli.devices} kiosk${cli.devices === 1 ? '' : 's'}`;
  const goal = cli.events === undefined ? '' : `, stopping once ${cli.events} are delivered`;
  return `Hubline demo: ${kiosks} recording ${cli.rate} events/s in total${goal}, seed ${cli.seed}`;
}

/** Where the outbox is, and whether an earlier run left events in it. */
function outboxLine(demo: Demo): string {
  const resuming =
    demo.resumedBacklog > 0
      ? ` (resuming: ${demo.resumedBacklog} events from an earlier run still to send)`
      : '';
  return `Outbox: ${demo.dbPath}${resuming}`;
}

/** Where events go: the emulator (with its faults) or HubSpot (never naming a credential, only its kind). */
function targetLine(cli: DemoCliOptions, target: DemoTarget, demo: Demo): string {
  if (target.kind === 'emulator') {
    const drops = cli.drops ? ', network drops on a schedule' : '';
    return `Sending to: the HubSpot emulator at ${demo.emulatorUrl} (faults: ${cli.faults}${drops})`;
  }
  return `Sending to: the HubSpot API at ${target.baseUrl}, event template ${target.eventTemplateId} (${target.credentials.type} credentials from the environment)`;
}

/** Starts the dashboard when asked for; if it cannot start, closes the demo (nothing was recorded yet) and rethrows. */
async function openDashboard(demo: Demo, cli: DemoCliOptions): Promise<Dashboard | undefined> {
  if (!cli.dashboard) return undefined;
  try {
    return await startDashboard({ demo, port: cli.port });
  } catch (error) {
    // Nothing was recorded yet; close what was opened rather than leave the emulator running.
    await demo.shutdown({ drainTimeoutMs: 0 });
    throw error;
  }
}

/**
 * Run the demo from the command line: `pnpm demo -- [flags]`. Every flag and the environment are checked before
 * anything starts, so a bad command line creates no file and starts no server. Resolves with the exit code (see
 * {@link EXIT_CODES}): `ok` once the goal is reached or a stop that was asked for (Ctrl-C, SIGTERM) has
 * completed — every event delivered or kept in the outbox for the next run — and `usage` for a bad command line
 * or environment. A second Ctrl-C leaves at once through `io.exit(EXIT_CODES.forced)`.
 *
 * @param argv - the flags, e.g. `process.argv.slice(2)`
 * @param io - streams, environment and signals; the process's own by default
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2));
 * ```
 */
export async function runCli(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const checked = preflight(argv, io.env ?? process.env, stdout, stderr);
  if (checked.kind === 'done') return checked.exitCode;
  const { cli, target } = checked;

  const out = (line: string): void => void stdout.write(`${line}\n`);
  out(introLine(cli));
  const demo = await createDemo({
    devices: cli.devices,
    rate: cli.rate,
    events: cli.events,
    faults: cli.faults,
    db: cli.db,
    drops: cli.drops,
    seed: cli.seed,
    target,
  });
  out(outboxLine(demo));
  out(targetLine(cli, target, demo));
  const dashboard = await openDashboard(demo, cli);
  if (dashboard !== undefined) out(`Dashboard: ${dashboard.url}`);
  out(
    'Press Ctrl-C to stop; what is in flight is finished and the rest waits in the outbox for the next run.',
  );
  return runUntilStopped(demo, cli, dashboard, io, stdout, stderr);
}

/** Shows the demo live until its goal is reached or a stop is asked for, then shuts it down and reports. */
async function runUntilStopped(
  demo: Demo,
  cli: DemoCliOptions,
  dashboard: Dashboard | undefined,
  io: Partial<CliIo>,
  stdout: NodeJS.WriteStream,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  const view = createTerminalView({ stream: stdout });
  demo.snapshot$.subscribe((snapshot) => view.update(snapshot));
  demo.notice$.subscribe((line) => view.log(line));

  const stop = listenForStop({
    signals: io.signals ?? process,
    ...(io.now === undefined ? {} : { now: io.now }),
    onForce: () => {
      // Every recorded event is already on disk; only the requests in flight are abandoned.
      stderr.write('\nhubline demo: stopped without draining; the outbox keeps the rest\n');
      (io.exit ?? process.exit)(EXIT_CODES.forced);
    },
  });
  try {
    demo.start();
    const reason = await Promise.race([demo.goalReached.then(() => 'goal'), stop.requested]);
    view.log(
      reason === 'goal'
        ? `All ${cli.events} events are settled; stopping.`
        : `${reason}: stopping the kiosks, finishing what is in flight (Ctrl-C again: leave now)…`,
    );
    const result = await demo.shutdown();
    view.stop();
    await dashboard?.close();
    // The machine-readable line is for scripts and tests; a person at a terminal has the report above it.
    stdout.write(formatFinalReport(result, { resultLine: stdout.isTTY !== true }));
    return EXIT_CODES.ok;
  } finally {
    stop.dispose();
  }
}
