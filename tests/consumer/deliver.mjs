// A plain-JavaScript app written as a user would, against the installed tarballs: start the HubSpot emulator from
// @hubline/emulator's own `hubline-emulator` command, record an event in an outbox file, deliver it with the
// sync engine, and print what the emulator stored.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOutbox } from '@hubline/outbox';
import { createSyncEngine } from '@hubline/sync';

const TOKEN = 'consumer-app-token';

/** Starts the emulator's CLI on a free port; resolves with its API and control URLs once it prints them. */
function startEmulator() {
  const bin = join('node_modules', '.bin', 'hubline-emulator');
  const child = spawn(bin, ['--port', '0', '--token', TOKEN], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`hubline-emulator exited ${code}: ${out}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const api = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      const control = /control: (http:\/\/\S+)/.exec(out)?.[1];
      if (api !== undefined && control !== undefined) resolve({ child, api, control });
    });
  });
}

const emulator = await startEmulator();
const folder = mkdtempSync(join(tmpdir(), 'hubline-consumer-'));
try {
  const outbox = openOutbox({ path: join(folder, 'activity.db') });
  const id = outbox.record({
    eventTemplateId: '1001234',
    email: 'ana@example.com',
    tokens: { page: '/pricing', seconds: 42 },
  });
  const sync = createSyncEngine({ outbox, accessToken: TOKEN, baseUrl: emulator.api });
  sync.start();
  await sync.whenDelivered(id);
  await sync.stop({ drain: true });
  outbox.close();
  const stored = await (await fetch(`${emulator.control}/events`)).json();
  console.log(JSON.stringify({ id, stored: stored.events.map((event) => event.id) }));
} finally {
  emulator.child.kill('SIGTERM');
  rmSync(folder, { recursive: true, force: true });
}
