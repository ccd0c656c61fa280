import { execFileSync, spawnSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian's `postgresql` package puts each major version's server binaries. */
const DEBIAN_SERVER_ROOT = '/usr/lib/postgresql';

/** The one command that installs them. */
export const INSTALL_COMMAND = 'apt-get install -y postgresql';

/** The unprivileged user a root process runs the server as: Debian's package creates it. */
const SERVER_USER = 'postgres';

/** The superuser of a throwaway cluster; it trusts local connections, so it has no password. */
const CLUSTER_SUPERUSER = 'hubline';

/**
 * Settings that make a throwaway cluster fast and small: nothing it writes needs to survive a crash of the
 * machine. A benchmark that measures durable commits passes its own.
 */
export const THROWAWAY_SETTINGS: Readonly<Record<string, string>> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  shared_buffers: '64MB',
  max_connections: '200',
};

/** Options of {@link startThrowawayCluster}. */
export interface ThrowawayClusterOptions {
  /**
   * Server settings written to its `postgresql.conf`, over {@link THROWAWAY_SETTINGS}.
   * @default {}
   */
  readonly settings?: Readonly<Record<string, string>>;
}

/** A running throwaway cluster: stop it (or `await using` it) to remove every trace. */
export interface ThrowawayCluster extends AsyncDisposable {
  /** A connection string for its `postgres` database over TCP on 127.0.0.1, as the superuser. */
  readonly url: string;
  /** The folder holding its Unix socket (`.s.PGSQL.<port>`). */
  readonly socketDir: string;
  /** Its port. */
  readonly port: number;
  /** The server's log file, for a test that failed. */
  readonly logFile: string;
  /** Stops the server at once and deletes its files. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The folder of PostgreSQL's server binaries (`initdb`, `pg_ctl`) from Debian's `postgresql` package, the
 * newest version installed.
 *
 * @param root - where the versions are installed
 * @default '/usr/lib/postgresql'
 * @throws Error naming {@link INSTALL_COMMAND} when none is installed
 */
export function findServerBinaries(root: string = DEBIAN_SERVER_ROOT): string {
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) {
    throw new Error(
      `PostgreSQL's server binaries are not installed (no ${root}/<version>/bin/initdb). Install them with: ${INSTALL_COMMAND}`,
    );
  }
  return join(root, newest, 'bin');
}

/**
 * Starts a throwaway PostgreSQL cluster: `initdb` into a temporary folder, its Unix socket in that folder, a
 * free port on 127.0.0.1, `pg_ctl start -w`. `initdb` refuses to run as root, so a root process runs the server
 * as Debian's `postgres` user. Stopping it (`stop()` or `await using`) deletes the folder; a process that exits
 * without stopping it stops it on the way out.
 *
 * @param options - server settings
 * @throws Error with the install command when the server binaries are missing, or the server's log when it
 *   does not start
 * @example
 * ```ts
 * await using cluster = await startThrowawayCluster();
 * const outbox = await openPostgresOutbox({ connectionString: cluster.url });
 * ```
 */
export async function startThrowawayCluster(
  options: ThrowawayClusterOptions = {},
): Promise<ThrowawayCluster> {
  const bin = findServerBinaries();
  const runAs = serverUser();
  // The server user must reach the folder: as root, /tmp rather than a TMPDIR that may sit in root's home.
  const dir = mkdtempSync(join(runAs === undefined ? tmpdir() : '/tmp', 'hubline-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  if (runAs !== undefined) chownSync(dir, runAs.uid, runAs.gid);
  try {
    run(runAs, dir, join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      CLUSTER_SUPERUSER,
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ]);
    const port = await startOnFreePort(runAs, dir, bin, data, logFile, {
      ...THROWAWAY_SETTINGS,
      ...options.settings,
    });
    return handle(runAs, dir, bin, data, logFile, port);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The uid and gid to run the server as, or `undefined` when this process is not root. */
function serverUser(): { readonly name: string; readonly uid: number; readonly gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, SERVER_USER], { encoding: 'utf8' }).trim());
  try {
    return { name: SERVER_USER, uid: id('-u'), gid: id('-g') };
  } catch (error) {
    throw new Error(
      `Running as root, the throwaway cluster needs the "${SERVER_USER}" user that Debian's package creates. Install it with: ${INSTALL_COMMAND}`,
      { cause: error },
    );
  }
}

/** Runs a server binary, as the server user when this process is root; throws with its output when it fails. */
function run(
  runAs: { readonly name: string } | undefined,
  cwd: string,
  command: string,
  args: readonly string[],
): void {
  const [file, argv] =
    runAs === undefined ? [command, args] : ['runuser', ['-u', runAs.name, '--', command, ...args]];
  const result = spawnSync(file, argv, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args[0] ?? ''} failed (${result.status ?? result.signal}): ${result.stderr}`,
    );
  }
}

/** Starts the server on a free port, trying another when one is taken between finding it and binding it. */
async function startOnFreePort(
  runAs: { readonly name: string } | undefined,
  dir: string,
  bin: string,
  data: string,
  logFile: string,
  settings: Readonly<Record<string, string>>,
): Promise<number> {
  const conf = join(data, 'postgresql.conf');
  const base = readFileSync(conf, 'utf8');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const lines = Object.entries({
      ...settings,
      port: String(port),
      listen_addresses: "'127.0.0.1'",
      unix_socket_directories: `'${dir}'`,
    }).map(([name, value]) => `${name} = ${value}`);
    writeFileSync(conf, `${base}\n# hubline throwaway cluster\n${lines.join('\n')}\n`);
    try {
      run(runAs, dir, join(bin, 'pg_ctl'), ['start', '-w', '-t', '60', '-D', data, '-l', logFile]);
      return port;
    } catch (error) {
      if (attempt >= 3) {
        const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
        throw new Error(`The throwaway PostgreSQL cluster did not start:\n${log}`, { cause: error });
      }
    }
  }
}

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** The running cluster's handle, with a safety net that stops it when the process exits without doing so. */
function handle(
  runAs: { readonly name: string } | undefined,
  dir: string,
  bin: string,
  data: string,
  logFile: string,
  port: number,
): ThrowawayCluster {
  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stopNow);
    try {
      // Immediate: nothing of a throwaway cluster needs a clean shutdown.
      run(runAs, dir, join(bin, 'pg_ctl'), ['stop', '-w', '-m', 'immediate', '-D', data]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  process.on('exit', stopNow);
  const stop = async () => stopNow();
  return {
    url: `postgres://${CLUSTER_SUPERUSER}@127.0.0.1:${port}/postgres`,
    socketDir: dir,
    port,
    logFile,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
