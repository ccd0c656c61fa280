/**
 * The kiosk service: the front desk's screen posts check-ins and scans to a loopback endpoint, each is on disk
 * before the screen hears back, and the sync engine delivers them to HubSpot whenever the network and HubSpot's
 * limits allow. Configured by environment variables (see README.md); stops gracefully on SIGTERM and SIGINT.
 */
import { isHublineError } from '@hubline/core';
import { type Outbox, openOutbox } from '@hubline/outbox';
import { createSyncEngine, oauthRefreshToken } from '@hubline/sync';
import { KioskConfigError, readKioskConfig, SECRET_VARIABLES } from './config.js';
import { createJsonLogger } from './json-logger.js';
import { startKioskEndpoint } from './kiosk-endpoint.js';
import { logEngine } from './log-engine.js';
import { stopOnSignal } from './stop-on-signal.js';

/** sysexits' EX_CONFIG: the unit file tells systemd not to restart on it (nothing changes until a person acts). */
const EXIT_CONFIG = 78;

const logger = createJsonLogger((line) => process.stdout.write(line));

async function main(): Promise<void> {
  const config = readKioskConfig(process.env);
  // Read once; a child process started later must not inherit them.
  for (const name of SECRET_VARIABLES) delete process.env[name];
  // Checked before the outbox opens: a bad HUBSPOT_BASE_URL is a configuration error, not a crash to restart on.
  const accessToken = oauthRefreshToken({ ...config.credentials, baseUrl: config.baseUrl });
  const outbox = openOutbox({ path: config.outboxPath, logger });
  try {
    const sync = createSyncEngine({ outbox, accessToken, baseUrl: config.baseUrl, logger });
    logEngine(sync, logger);
    sync.start();
    const endpoint = await startKioskEndpoint({
      outbox,
      templates: config.templates,
      ...config.listen,
      logger,
    });
    stopOnSignal(
      {
        async stop(signal) {
          logger.info('stopping', { signal, drainTimeoutMs: config.drainTimeoutMs });
          const [, report] = await Promise.all([
            endpoint.close(),
            sync.stop({ drain: true, timeoutMs: config.drainTimeoutMs }),
          ]);
          const left = backlog(outbox);
          outbox.close();
          logger.info('stopped', { drainTimedOut: report.timedOut, ...left });
        },
        hurry: () => void sync.stop({ timeoutMs: 0 }),
      },
      logger,
    );
    // Last, so that whoever waits for this line can stop the service gracefully from then on.
    logger.info('kiosk service ready', { url: endpoint.url, outbox: config.outboxPath, ...backlog(outbox) });
  } catch (error) {
    outbox.close();
    throw error;
  }
}

/** The outbox's counts worth a log line: what is still to send, and what went. */
function backlog(outbox: Outbox) {
  const { pending, inFlight, delivered, dead } = outbox.stats();
  return { pending, inFlight, delivered, dead };
}

main().catch((error: unknown) => {
  logger.error('kiosk service cannot start', { error });
  const misconfigured = error instanceof KioskConfigError || isHublineError(error, 'VALIDATION_FAILED');
  process.exit(misconfigured ? EXIT_CONFIG : 1);
});
