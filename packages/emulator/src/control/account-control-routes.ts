import type { FastifyInstance } from 'fastify';
import type { AccountLimitsOptions } from '../accounts/account-types.js';
import type { AuthorizeOptions } from '../auth/auth-types.js';
import type { RunningEmulator } from '../emulator-types.js';
import { guarded, objectBody, param, send } from './control-http.js';

/** The account routes of the control surface, as `GET /__emulator` lists them. */
export const accountControlRoutes: Readonly<Record<string, string>> = Object.freeze({
  'GET /__emulator/accounts': '{ accounts: [{ id, limits, budget, installs, counters }] }',
  'GET /__emulator/accounts/:id': '{ id, limits, budget, installs, counters } (404 for an unknown account)',
  'POST /__emulator/accounts/:id/limits':
    "merge the account's limits { rateLimit?, rateWindowMs?, dailyLimit? } → the account",
  'POST /__emulator/accounts/:id/authorize':
    '{ clientId?, scopes?, redirectUri? } → 201 { code, expiresAt } (install the app)',
  'POST /__emulator/accounts/:id/revoke':
    '→ { revoked } (uninstall: refresh tokens refused, OAuth access tokens 401)',
});

/** Registers the account control routes: per-account views, limits, installs and revocation. */
export function registerAccountControlRoutes(app: FastifyInstance, emu: RunningEmulator): void {
  app.get('/__emulator/accounts', (_request, reply) => send(reply, 200, { accounts: emu.accounts() }));
  app.get('/__emulator/accounts/:id', (request, reply) => {
    const account = emu.account(param(request, 'id'));
    return account === undefined
      ? send(reply, 404, { message: 'no such account' })
      : send(reply, 200, account);
  });
  app.post(
    '/__emulator/accounts/:id/limits',
    guarded((request, reply) => {
      const id = param(request, 'id');
      emu.setAccountLimits(id, objectBody(request) as AccountLimitsOptions);
      return send(reply, 200, emu.account(id));
    }),
  );
  app.post(
    '/__emulator/accounts/:id/authorize',
    guarded((request, reply) =>
      send(reply, 201, emu.authorize(param(request, 'id'), objectBody(request) as AuthorizeOptions)),
    ),
  );
  app.post('/__emulator/accounts/:id/revoke', (request, reply) =>
    send(reply, 200, { revoked: emu.revokeInstalls(param(request, 'id')) }),
  );
}
