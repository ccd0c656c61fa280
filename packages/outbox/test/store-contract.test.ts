import { afterAll } from 'vitest';
import { openOutbox } from '../src/open-outbox.js';
import { describeStoreContract } from '../src/testing/contract/index.js';
import { createMemoryStore } from '../src/testing/index.js';
import type { Outbox } from '../src/types.js';
import { type TempDir, tempDir } from './support.js';

/** One temporary folder per run; each store gets a file of its own in it. */
let temp: TempDir | undefined;
let files = 0;
const paths = new WeakMap<Outbox, string>();
afterAll(() => temp?.remove());

describeStoreContract(
  'the SQLite outbox (a real file in a temporary folder)',
  ({ clock, ...capacity }) => {
    temp ??= tempDir();
    const path = temp.path(`contract-${++files}.db`);
    const outbox = openOutbox({ path, clock, ...capacity });
    paths.set(outbox, path);
    return outbox;
  },
  {
    // A second connection on the same file, as another process would open it.
    connect: (store, { clock }) => openOutbox({ path: paths.get(store as Outbox)!, clock }),
  },
);

describeStoreContract('the memory store', (context) => createMemoryStore(context));
