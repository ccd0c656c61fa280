import { EXIT_CODES } from './cli/parse-cli.js';
import { runCli } from './cli/run-cli.js';
import { isPostgresRun } from './postgres/postgres-cli.js';
import { runPostgresCli } from './postgres/run-postgres-cli.js';

// `pnpm demo -- [flags]`: everything lives in runCli (runPostgresCli with `--postgres`); this file only turns its answer into the exit code, once
// stdout has taken the last of the report.
const argv = process.argv.slice(2);
(isPostgresRun(argv) ? runPostgresCli : runCli)(argv).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error: unknown) => {
    process.stderr.write(
      `hubline demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(EXIT_CODES.failed);
  },
);
