import { startThrowawayCluster } from '@hubline/postgres/testing';

/** The PostgreSQL server a demo runs on. */
export interface DemoServer extends AsyncDisposable {
  /** Its URL. */
  readonly url: string;
  /** What it is, for the terminal, without a password. */
  readonly label: string;
}

/**
 * The server for `--postgres`: `HUBLINE_PG_URL` when set, else a throwaway cluster (Debian's `postgresql`
 * package), deleted when disposed.
 *
 * @param env - the environment
 * @throws Error naming `apt-get install -y postgresql` when no URL is given and the server is not installed
 */
export async function openDemoServer(env: Readonly<Record<string, string | undefined>>): Promise<DemoServer> {
  const given = env.HUBLINE_PG_URL;
  if (given !== undefined && given !== '') {
    const url = new URL(given);
    return {
      url: given,
      label: `the server at ${url.hostname}:${url.port || '5432'} (HUBLINE_PG_URL)`,
      [Symbol.asyncDispose]: async () => undefined,
    };
  }
  const cluster = await startThrowawayCluster();
  return {
    url: cluster.url,
    label: `a throwaway cluster on 127.0.0.1:${cluster.port}, deleted at the end`,
    [Symbol.asyncDispose]: () => cluster.stop(),
  };
}
