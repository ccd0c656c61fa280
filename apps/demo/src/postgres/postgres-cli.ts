import { CliUsageError, type DemoCliOptions, parseCli } from '../cli/parse-cli.js';

/** The flag that runs the demo on PostgreSQL. */
const POSTGRES_FLAG = '--postgres';

/** Most engine workers on the shared outbox. */
const MAX_WORKERS = 16;

/** What `--postgres` runs with: the demo's own flags, and how many workers drain the outbox. */
export interface PostgresCliOptions {
  /** The demo's flags (`--db` has no meaning here and is refused). */
  readonly cli: DemoCliOptions;
  /** Sync engines draining the one outbox, each with a store and a lease owner of its own. @default 3 */
  readonly workers: number;
}

/** `--postgres --help` text. */
export const POSTGRES_USAGE = `Usage: pnpm demo -- --postgres [--workers <n>] [options]

Runs the demo on PostgreSQL instead of a SQLite file: the kiosks' app writes its own row and records the timeline
event in one transaction (the transactional outbox), and several sync engines ("workers") drain the one outbox
to the HubSpot emulator together, each shown in the terminal and on the dashboard.

The server: HUBLINE_PG_URL when set (the demo works in the schemas hubline_demo and hubline_demo_app, resuming
what an earlier run left), else a throwaway cluster started from Debian's postgresql package and deleted at the
end (apt-get install -y postgresql).

  --workers <n>       sync engines on the one outbox, 1 to ${MAX_WORKERS} (default 3)

Every other option of the demo applies (see --help without --postgres), but --db.`;

/**
 * Whether a command line asks for the PostgreSQL demo.
 *
 * @param argv - the demo's arguments
 */
export function isPostgresRun(argv: readonly string[]): boolean {
  return argv.includes(POSTGRES_FLAG);
}

/**
 * Reads a `--postgres` command line: `--workers`, then every other flag through the demo's own {@link parseCli},
 * so each is checked and worded the same way.
 *
 * @param argv - the demo's arguments, `--postgres` among them
 * @param defaultSeed - the seed when `--seed` is absent
 * @throws CliUsageError naming the flag
 */
export function parsePostgresCli(argv: readonly string[], defaultSeed?: number): PostgresCliOptions {
  const rest: string[] = [];
  let workers = 3;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === POSTGRES_FLAG) continue;
    if (arg === '--workers' || arg.startsWith('--workers=')) {
      const raw = arg === '--workers' ? argv[++index] : arg.slice('--workers='.length);
      workers = parseWorkers(raw);
      continue;
    }
    if (arg === '--db' || arg.startsWith('--db=')) {
      throw new CliUsageError('--db names a SQLite file; with --postgres, HUBLINE_PG_URL names a server');
    }
    rest.push(arg);
  }
  return { cli: parseCli(rest, defaultSeed), workers };
}

/** `--workers`' value: a whole number from 1 to {@link MAX_WORKERS}. */
function parseWorkers(raw: string | undefined): number {
  const workers = Number(/^\d+$/.test(raw ?? '') ? raw : Number.NaN);
  if (!Number.isSafeInteger(workers) || workers < 1 || workers > MAX_WORKERS) {
    throw new CliUsageError(`--workers must be a whole number from 1 to ${MAX_WORKERS}, got "${raw ?? ''}"`);
  }
  return workers;
}
