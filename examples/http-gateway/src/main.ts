/**
 * The HTTP gateway: browsers and phones post timeline events with their own API key, never a HubSpot token; the
 * gateway records them in its outbox and its engine delivers them with the HubSpot credentials it alone holds.
 * Configured by environment variables (see README.md); stops gracefully on SIGTERM and SIGINT.
 */
import { isHublineError } from '@hubline/core';
import { GatewayConfigError, readGatewayConfig } from './config.js';
import { createJsonLogger } from './json-logger.js';
import { startGateway } from './start-gateway.js';

/** sysexits' EX_CONFIG: a supervisor should not restart on it (nothing changes until a person acts). */
const EXIT_CONFIG = 78;

const logger = createJsonLogger((line) => process.stdout.write(line));

async function main(): Promise<void> {
  const config = readGatewayConfig(process.env);
  // Read once; a child process started later must not inherit them.
  for (const name of [
    'HUBSPOT_ACCESS_TOKEN',
    'HUBSPOT_CLIENT_SECRET',
    'HUBSPOT_REFRESH_TOKEN',
    'GATEWAY_CLIENT_KEYS',
  ])
    delete process.env[name];
  const gateway = await startGateway(config, logger);
  let last: string | undefined;
  gateway.sync.status$.subscribe(({ state, reason }) => {
    if (state !== last)
      logger.info('delivery status', { state, ...(reason === undefined ? {} : { reason }) });
    last = state;
  });
  let signalled = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (signalled) {
      // A second Ctrl-C: give up on the drain; what is left is sent on the next start.
      void gateway.sync.stop({ timeoutMs: 0 });
      return;
    }
    signalled = true;
    logger.info('stopping', { signal, drainTimeoutMs: config.drainTimeoutMs });
    gateway.stop().then(
      ({ timedOut }) => {
        logger.info('stopped', { drainTimedOut: timedOut });
        process.exit(0);
      },
      (error: unknown) => {
        logger.error('stop failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  logger.info('gateway ready', { url: gateway.url, clients: Object.keys(config.clientKeys) });
}

main().catch((error: unknown) => {
  logger.error('gateway cannot start', { error });
  const misconfigured = error instanceof GatewayConfigError || isHublineError(error, 'VALIDATION_FAILED');
  process.exit(misconfigured ? EXIT_CONFIG : 1);
});
