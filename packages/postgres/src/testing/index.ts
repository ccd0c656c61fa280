/**
 * @hubline/postgres/testing — for tests and benchmarks of code that uses the PostgreSQL outbox: a throwaway
 * PostgreSQL cluster started from Debian's `postgresql` package (`initdb` into a temporary folder, a Unix socket
 * there, a free port on 127.0.0.1), stopped and deleted at the end. No mock and no stand-in: the real server.
 *
 * @packageDocumentation
 */

export {
  findServerBinaries,
  INSTALL_COMMAND,
  startThrowawayCluster,
  THROWAWAY_SETTINGS,
  type ThrowawayCluster,
  type ThrowawayClusterOptions,
} from './throwaway-cluster.js';
