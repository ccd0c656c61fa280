import type { FastifyInstance } from 'fastify';
import type { Demo } from '../demo/create-demo.js';
import type { DemoSnapshot } from '../demo/snapshot.js';

/** An open stream the dashboard ends when it closes. */
export interface OpenStream {
  /** Ends the stream: stops sending snapshots and closes the response. Ending it twice does nothing. */
  end(): void;
}

/**
 * `GET /api/stream`: a server-sent event stream, the current snapshot first, then one per demo sample. It ends
 * when the client goes, when the demo shuts down, or when the dashboard closes it (through `streams`).
 *
 * @param app - the dashboard's server
 * @param demo - the demo whose snapshots are streamed
 * @param streams - where each open stream is kept while it lasts
 */
export function registerSnapshotStream(app: FastifyInstance, demo: Demo, streams: Set<OpenStream>): void {
  app.get('/api/stream', (_request, reply) => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const send = (snapshot: DemoSnapshot): void => {
      raw.write(`event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`);
    };
    send(demo.snapshot());
    const subscription = demo.snapshot$.subscribe({ next: send, complete: () => raw.end() });
    const stream: OpenStream = {
      end() {
        subscription.unsubscribe();
        raw.end();
      },
    };
    streams.add(stream);
    raw.on('close', () => {
      subscription.unsubscribe();
      streams.delete(stream);
    });
  });
}
