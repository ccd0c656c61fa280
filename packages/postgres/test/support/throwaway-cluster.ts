// The throwaway cluster is public (`@hubline/postgres/testing`); the tests take it from there.
export {
  findServerBinaries,
  INSTALL_COMMAND,
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../../src/testing/index.js';
