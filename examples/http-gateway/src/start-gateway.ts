import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Logger, silentLogger } from '@hubline/core';
import { type Outbox, openOutbox } from '@hubline/outbox';
import {
  type AccessTokenSource,
  createSyncEngine,
  oauthRefreshToken,
  type StopReport,
  type SyncEngine,
} from '@hubline/sync';
import { createKeyCheck } from './client-keys.js';
import type { GatewayConfig, HubSpotCredentials } from './config.js';
import { createGatewayHandler } from './gateway-handler.js';

/** A running gateway; `await using gateway = await startGateway(…)` stops it at the end of the scope. */
export interface RunningGateway extends AsyncDisposable {
  /** Where it listens, `http://host:port`. */
  readonly url: string;
  /** The engine delivering to HubSpot: its `status$`, `stats$`, `whenDelivered(id)`. */
  readonly sync: SyncEngine;
  /** The outbox clients' events are recorded into. Closed by `stop()`. */
  readonly outbox: Outbox;
  /**
   * Stop gracefully: refuse new connections and finish the requests under way, send what is due for at most
   * `drainTimeoutMs` (the rest waits in the outbox for the next start), close the outbox. Calling it again
   * returns the same promise.
   */
  stop(): Promise<StopReport>;
}

/** How long requests under way get to finish when the gateway stops; a client still sending after that is cut. */
const CLOSE_GRACE_MS = 2000;

/**
 * Open the outbox, start the engine that holds the HubSpot credentials, and listen for clients.
 *
 * @param config - see `readGatewayConfig`
 * @param logger - where the outbox, the engine and the gateway report @default silent
 * @example
 * ```ts
 * const gateway = await startGateway(readGatewayConfig(process.env), logger);
 * process.once('SIGTERM', () => void gateway.stop().then(() => process.exit(0)));
 * ```
 */
export async function startGateway(
  config: GatewayConfig,
  logger: Logger = silentLogger,
): Promise<RunningGateway> {
  const accessToken = tokenSource(config.hubspot, config.baseUrl);
  const outbox = openOutbox({
    path: config.outboxPath,
    logger,
    ...(config.maxPending === undefined ? {} : { maxEntries: config.maxPending }),
  });
  try {
    const sync = createSyncEngine({ outbox, accessToken, baseUrl: config.baseUrl, logger });
    const handle = createGatewayHandler({
      outbox,
      clientOf: createKeyCheck(config.clientKeys),
      templateIds: config.templateIds,
      allowedOrigins: config.allowedOrigins,
      maxBodyBytes: config.maxBodyBytes,
      logger,
    });
    const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, (request, response) => {
      handle(request, response).catch((error: unknown) => {
        logger.error('request failed', { error });
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
        response.end('{"error":"INTERNAL"}');
      });
    });
    await listen(server, config.listen.host, config.listen.port);
    sync.start();
    const { address, port } = server.address() as AddressInfo;
    let stopping: Promise<StopReport> | undefined;
    const stop = (): Promise<StopReport> => {
      stopping ??= (async () => {
        const [, report] = await Promise.all([
          close(server),
          sync.stop({ drain: true, timeoutMs: config.drainTimeoutMs }),
        ]);
        outbox.close();
        return report;
      })();
      return stopping;
    };
    return {
      url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
      sync,
      outbox,
      stop,
      [Symbol.asyncDispose]: async () => void (await stop()),
    };
  } catch (error) {
    outbox.close();
    throw error;
  }
}

/** The credentials as the engine takes them: a fixed token, or access tokens refreshed from an OAuth install. */
function tokenSource(credentials: HubSpotCredentials, baseUrl: string): AccessTokenSource {
  if (credentials.type === 'access-token') return credentials.accessToken;
  const { clientId, clientSecret, refreshToken } = credentials;
  return oauthRefreshToken({ clientId, clientSecret, refreshToken, baseUrl });
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}
