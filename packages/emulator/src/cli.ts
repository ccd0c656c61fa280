#!/usr/bin/env node
import { defaultAccountId } from './accounts/account-registry.js';
import { defaultDeveloper } from './auth/developer-key.js';
import { defaultAccessToken, defaultOAuthClient } from './auth/token-store.js';
/**
 * The `hubline-emulator` command: starts the emulator from command-line options and runs until SIGINT/SIGTERM.
 * In the workspace: `npx tsx --conditions=@hubline/source packages/emulator/src/cli.ts --help`.
 */
import { cliUsage, parseCliArgs } from './cli-options.js';
import { startEmulator } from './start-emulator.js';

async function main(): Promise<void> {
  let command: ReturnType<typeof parseCliArgs>;
  try {
    command = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${cliUsage}\n`);
    process.exitCode = 2;
    return;
  }
  if (command.help) {
    process.stdout.write(`${cliUsage}\n`);
    return;
  }
  const { options } = command;
  const emulator = await startEmulator(options);
  const lines = [
    `hubline-emulator listening on ${emulator.url}${emulator.online ? '' : ' (offline)'}`,
    `control: ${emulator.controlUrl}/__emulator`,
  ];
  // Only the well-known defaults are printed: a token given on the command line is never echoed.
  if (options.auth?.requireAuth === false) lines.push('auth: off (any bearer accepted)');
  else if (options.auth?.tokens === undefined) lines.push(`default bearer token: ${defaultAccessToken}`);
  lines.push(
    `oauth client: ${defaultOAuthClient.clientId} / ${defaultOAuthClient.clientSecret}, refresh token ${defaultOAuthClient.refreshTokens[0]}`,
    `default account: ${defaultAccountId}`,
  );
  if (options.developer?.apiKey === undefined) {
    lines.push(
      `event templates: /integrators/timeline/v3/${emulator.appId}/event-templates?hapikey=${defaultDeveloper.apiKey}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  const shutdown = () => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`hubline-emulator: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
