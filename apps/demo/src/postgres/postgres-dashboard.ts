import Fastify from 'fastify';
import type { PostgresDemo } from './postgres-demo.js';

/** A running PostgreSQL dashboard. */
export interface PostgresDashboard {
  /** e.g. `http://127.0.0.1:4310/` */
  readonly url: string;
  /** Closes the server. */
  close(): Promise<void>;
}

/** The page: the outbox's counts and one row per worker, refreshed from `/api/snapshot` twice a second. */
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hubline on PostgreSQL</title>
<style>
body { font: 15px system-ui, sans-serif; margin: 2rem; color: #1d2733; }
table { border-collapse: collapse; margin-top: 1rem; }
td, th { padding: .35rem .9rem; border-bottom: 1px solid #dde3ea; text-align: right; }
td:first-child, th:first-child { text-align: left; }
.state { font-weight: 600; }
</style></head>
<body>
<h1>Hubline on PostgreSQL</h1>
<p id="outbox">connecting…</p>
<table><thead><tr><th>worker</th><th>state</th><th>delivered</th><th>requests</th><th>429s</th></tr></thead>
<tbody id="workers"></tbody></table>
<p id="emulator"></p>
<script>
const n = (value) => Number(value).toLocaleString('en-US');
async function refresh() {
  try {
    const s = await (await fetch('/api/snapshot')).json();
    document.getElementById('outbox').textContent =
      'recorded ' + n(s.recorded) + ' · pending ' + n(s.outbox.pending) + ' · in flight ' + n(s.outbox.inFlight) +
      ' · delivered ' + n(s.outbox.delivered) + ' · dead ' + n(s.outbox.dead) + ' · network ' + (s.online ? 'up' : 'DOWN');
    const body = document.getElementById('workers');
    body.replaceChildren(...s.workers.map((w) => {
      const row = document.createElement('tr');
      for (const [text, cls] of [[w.name], [w.state + (w.reason ? ' (' + w.reason + ')' : ''), 'state'], [n(w.delivered)], [n(w.requests)], [n(w.rateLimited)]]) {
        const cell = document.createElement('td');
        cell.textContent = text;
        if (cls) cell.className = cls;
        row.append(cell);
      }
      return row;
    }));
    document.getElementById('emulator').textContent = 'emulator: stored ' + n(s.emulator.eventsStored) +
      ', re-sent ids recognised ' + n(s.emulator.duplicateIdsSeen) + ', faults injected ' + n(s.emulator.faultsInjected);
  } catch {}
}
refresh();
setInterval(refresh, 500);
</script></body></html>`;

/**
 * The `--postgres` dashboard on 127.0.0.1: the shared outbox's counts and each worker's state and share,
 * refreshed twice a second. `GET /` is the page, `GET /api/snapshot` the JSON behind it. When the port is taken,
 * a free one is used instead.
 *
 * @param options - the demo, and the port (0 picks a free one)
 */
export async function startPostgresDashboard(options: {
  readonly demo: PostgresDemo;
  readonly port: number;
}): Promise<PostgresDashboard> {
  const build = () => {
    const app = Fastify({ logger: false, forceCloseConnections: true });
    app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
    app.get('/api/snapshot', async () => options.demo.snapshot());
    return app;
  };
  let app = build();
  let address: string;
  try {
    address = await app.listen({ host: '127.0.0.1', port: options.port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || options.port === 0) throw error;
    await app.close();
    app = build();
    address = await app.listen({ host: '127.0.0.1', port: 0 });
  }
  return { url: `${address}/`, close: () => app.close() };
}
