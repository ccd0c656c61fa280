import { CliUsageError, EXIT_CODES } from '../cli/parse-cli.js';
import type { CliIo } from '../cli/run-cli.js';
import { listenForStop } from '../cli/stop-signals.js';
import { POSTGRES_USAGE, type PostgresCliOptions, parsePostgresCli } from './postgres-cli.js';
import { type PostgresDashboard, startPostgresDashboard } from './postgres-dashboard.js';
import { openPostgresDemo, type PostgresDemo } from './postgres-demo.js';
import { formatPostgresReport } from './postgres-result.js';
import { openDemoServer } from './postgres-server.js';
import { formatPostgresLines } from './postgres-snapshot.js';

/** How often the goal is checked, ms. */
const GOAL_CHECK_MS = 250;

/**
 * `pnpm demo -- --postgres [flags]`: the demo on PostgreSQL, several workers draining one outbox. Checks the
 * flags first (a bad one exits 2 and starts nothing), then starts or reaches the server, runs until the
 * `--events` goal is reached or Ctrl-C / SIGTERM, drains, prints the report and stops a throwaway server.
 *
 * @param argv - the demo's flags, `--postgres` among them
 * @param io - streams, environment and signals; the process's own by default
 */
export async function runPostgresCli(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let options: PostgresCliOptions;
  try {
    options = parsePostgresCli(argv[0] === '--' ? argv.slice(1) : argv);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    stderr.write(`hubline demo: ${error.message}\nRun with --postgres --help for the options.\n`);
    return EXIT_CODES.usage;
  }
  if (options.cli.help) {
    stdout.write(`${POSTGRES_USAGE}\n`);
    return EXIT_CODES.ok;
  }
  const out = (line: string): void => void stdout.write(`${line}\n`);
  const { cli } = options;
  out(
    `Hubline demo on PostgreSQL: ${cli.devices} kiosks recording ${cli.rate} events/s, ${options.workers} workers draining one outbox, seed ${cli.seed}`,
  );
  const server = await openDemoServer(io.env ?? process.env);
  try {
    out(`PostgreSQL: ${server.label}`);
    const demo = await openPostgresDemo({ cli, workers: options.workers, server, notice: out });
    out(`Sending to: the HubSpot emulator at ${demo.emulatorUrl} (faults: ${cli.faults})`);
    const dashboard = cli.dashboard ? await startPostgresDashboard({ demo, port: cli.port }) : undefined;
    if (dashboard !== undefined) out(`Dashboard: ${dashboard.url}`);
    out('Press Ctrl-C to stop; what is in flight is finished and the rest waits in the outbox.');
    return await runUntilStopped(demo, dashboard, io, stdout);
  } finally {
    await server[Symbol.asyncDispose]();
  }
}

/** Prints the demo's lines until the goal or a stop, then shuts it down and prints the report. */
async function runUntilStopped(
  demo: PostgresDemo,
  dashboard: PostgresDashboard | undefined,
  io: Partial<CliIo>,
  stdout: NodeJS.WriteStream,
): Promise<number> {
  const stop = listenForStop({
    signals: io.signals ?? process,
    onForce: () => (io.exit ?? process.exit)(EXIT_CODES.forced),
  });
  const lineMs = stdout.isTTY === true ? 1000 : 2000;
  let goalTimer: NodeJS.Timeout | undefined;
  const goal = new Promise<string>((resolve) => {
    goalTimer = setInterval(() => {
      if (demo.goalReached()) resolve('goal');
    }, GOAL_CHECK_MS);
  });
  const lines = setInterval(() => {
    void demo.snapshot().then(
      (snapshot) => stdout.write(`${formatPostgresLines(snapshot).join('\n')}\n`),
      () => undefined,
    );
  }, lineMs);
  try {
    demo.start();
    const reason = await Promise.race([goal, stop.requested]);
    stdout.write(
      reason === 'goal'
        ? 'Every event is settled; stopping.\n'
        : `${reason}: stopping the kiosks, finishing what is in flight (Ctrl-C again: leave now)…\n`,
    );
    clearInterval(lines);
    clearInterval(goalTimer);
    const result = await demo.shutdown();
    await dashboard?.close();
    stdout.write(formatPostgresReport(result, stdout.isTTY !== true));
    return EXIT_CODES.ok;
  } finally {
    clearInterval(lines);
    clearInterval(goalTimer);
    stop.dispose();
  }
}
