// A TypeScript app written as a user would, against the installed tarballs: typechecked with skipLibCheck off, so
// every declaration file the packages ship (and everything those import) must resolve and check.
import { isHublineError } from '@hubline/core';
import { startEmulator } from '@hubline/emulator';
import { type Outbox, type OutboxOptions, openOutbox } from '@hubline/outbox';
import { createSyncEngine, type SyncEngine, type SyncStatus } from '@hubline/sync';
import { entries } from './entries.js';

const options: OutboxOptions = { path: 'activity.db' };
const outbox: Outbox = openOutbox(options);
const id: string = outbox.record({
  eventTemplateId: '1001234',
  email: 'ana@example.com',
  tokens: { page: '/' },
});

const emulator = await startEmulator({ port: 0 });
const sync: SyncEngine = createSyncEngine({ outbox, accessToken: 'token', baseUrl: emulator.url });
const seen: SyncStatus[] = [];
sync.status$.subscribe((status) => seen.push(status));
sync.start();
try {
  await sync.whenDelivered(id);
} catch (error) {
  if (!isHublineError(error)) throw error;
  console.error(`delivery failed: ${error.code}`);
}
await sync.stop({ drain: true });
outbox.close();
await emulator.stop();
console.log(seen.length, Object.keys(entries).length);
