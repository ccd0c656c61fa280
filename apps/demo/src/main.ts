import { CliUsageError, parseCli, USAGE } from './cli/parse-cli.js';
import { startDashboard } from './dashboard/dashboard-server.js';
import { createDemo } from './demo/create-demo.js';
import { formatFinalReport } from './report/final-report.js';
import { resolveTarget, TargetConfigError } from './target/resolve-target.js';
import { createTerminalView } from './view/terminal-view.js';

/**
 * Run the demo from the command line: `pnpm demo -- [flags]`. Resolves with the exit code: 0 after a graceful
 * stop (goal reached, Ctrl-C or SIGTERM), 2 for a bad command line or environment.
 *
 * @param argv - the flags
 * @param env - the environment (HubSpot credentials switch the target to real HubSpot)
 */
async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let cli: ReturnType<typeof parseCli>;
  let target: ReturnType<typeof resolveTarget>;
  try {
    cli = parseCli(argv);
    if (cli.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    target = resolveTarget(env);
  } catch (error) {
    if (error instanceof CliUsageError || error instanceof TargetConfigError) {
      process.stderr.write(`hubline demo: ${error.message}\nRun with --help for the options.\n`);
      return 2;
    }
    throw error;
  }

  const out = (line: string): void => void process.stdout.write(`${line}\n`);
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
  const dashboard = cli.dashboard ? await startDashboard({ demo, port: cli.port }) : undefined;
  if (dashboard !== undefined) out(`Dashboard: ${dashboard.url}`);
  out(
    'Press Ctrl-C to stop; what is in flight is finished and the rest waits in the outbox for the next run.',
  );

  const view = createTerminalView();
  demo.snapshot$.subscribe((snapshot) => view.update(snapshot));
  demo.notice$.subscribe((line) => view.log(line));

  let signalled = false;
  const stopRequested = new Promise<string>((resolveStop) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      if (signalled) {
        // A second Ctrl-C: leave now. Every recorded event is already on disk.
        process.stderr.write('\nhubline demo: stopped without draining; the outbox keeps the rest\n');
        process.exit(130);
      }
      signalled = true;
      resolveStop(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });

  demo.start();
  const reason = await Promise.race([demo.goalReached.then(() => 'goal'), stopRequested]);
  view.log(
    reason === 'goal'
      ? `All ${cli.events} events are settled; stopping.`
      : `${reason}: stopping the kiosks and draining what is in flight (Ctrl-C again to leave at once)…`,
  );
  const result = await demo.shutdown();
  view.stop();
  await dashboard?.close();
  process.stdout.write(formatFinalReport(result));
  return 0;
}

main(process.argv.slice(2), process.env).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error: unknown) => {
    process.stderr.write(
      `hubline demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
