import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { startDashboard } from '../dashboard/dashboard-server.js';
import { createDemo } from '../demo/create-demo.js';
import { formatFinalReport } from '../report/final-report.js';
import { resolveTarget, TargetConfigError } from '../target/resolve-target.js';
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
  const signals = io.signals ?? process;
  let cli: DemoCliOptions;
  let target: ReturnType<typeof resolveTarget>;
  try {
    cli = parseCli(argv);
    if (cli.help) {
      stdout.write(`${USAGE}\n`);
      return EXIT_CODES.ok;
    }
    target = resolveTarget(io.env ?? process.env);
    checkDbPath(cli.db);
  } catch (error) {
    if (error instanceof CliUsageError || error instanceof TargetConfigError) {
      stderr.write(`hubline demo: ${error.message}\nRun with --help for the options.\n`);
      return EXIT_CODES.usage;
    }
    throw error;
  }

  const out = (line: string): void => void stdout.write(`${line}\n`);
  out(
    `Hubline demo: ${cli.devices} kiosk${cli.devices === 1 ? '' : 's'} recording ${cli.rate} events/s in total` +
      (cli.events === undefined ? '' : `, stopping once ${cli.events} are delivered`) +
      `, seed ${cli.seed}`,
  );
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
  out(
    `Outbox: ${demo.dbPath}` +
      (demo.resumedBacklog > 0
        ? ` (resuming: ${demo.resumedBacklog} events from an earlier run still to send)`
        : ''),
  );
  out(
    target.kind === 'emulator'
      ? `Sending to: the HubSpot emulator at ${demo.emulatorUrl} (faults: ${cli.faults}${cli.drops ? ', network drops on a schedule' : ''})`
      : `Sending to: the HubSpot API at ${target.baseUrl}, event template ${target.eventTemplateId} (${target.credentials.type} credentials from the environment)`,
  );
  let dashboard: Awaited<ReturnType<typeof startDashboard>> | undefined;
  if (cli.dashboard) {
    try {
      dashboard = await startDashboard({ demo, port: cli.port });
    } catch (error) {
      // Nothing was recorded yet; close what was opened rather than leave the emulator running.
      await demo.shutdown({ drainTimeoutMs: 0 });
      throw error;
    }
    out(`Dashboard: ${dashboard.url}`);
  }
  out(
    'Press Ctrl-C to stop; what is in flight is finished and the rest waits in the outbox for the next run.',
  );

  const view = createTerminalView({ stream: stdout });
  demo.snapshot$.subscribe((snapshot) => view.update(snapshot));
  demo.notice$.subscribe((line) => view.log(line));

  const stop = listenForStop({
    signals,
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
