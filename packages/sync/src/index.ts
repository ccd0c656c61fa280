/**
 * @hubline/sync — the RxJS delivery engine that drains a Hubline outbox to HubSpot exactly once, with its
 * HTTP transport (node:http; ky over fetch is the `@hubline/sync/ky` subpath), token providers (fixed, function, OAuth refresh) and the rate budget shared by every
 * engine that talks to the same HubSpot app and account.
 *
 * @packageDocumentation
 */

export type { AccountTokenSources } from './auth/account-tokens.js';
export type {
  InstallTokenStore,
  InstallTokens,
  OAuthInstallsOptions,
} from './auth/oauth-installs.js';
export { oauthInstalls } from './auth/oauth-installs.js';
export type { OAuthRefreshTokenOptions } from './auth/oauth-refresh-token.js';
export { oauthRefreshToken } from './auth/oauth-refresh-token.js';
export type {
  AccessTokenSource,
  RateBudget,
  RateBudgetOptions,
  RateGrant,
  TokenContext,
  TokenProvider,
  Transport,
  TransportRequest,
} from './contracts.js';
export { createSyncEngine } from './engine/create-sync-engine.js';
export { SYNC_DEFAULTS } from './engine/options.js';
export type {
  FlushBlocker,
  FlushReport,
  StopOptions,
  StopReport,
  SyncBackoffOptions,
  SyncEngine,
  SyncEngineOptions,
  SyncOutcome,
  SyncState,
  SyncStats,
  SyncStatus,
} from './engine/types.js';
export { createRateBudget, RATE_BUDGET_DEFAULTS } from './pacing/create-rate-budget.js';
export { sharedRateBudget } from './pacing/shared-rate-budget.js';
export { createTemplateLoader } from './templates/create-template-loader.js';
export { TEMPLATE_LOADER_DEFAULTS } from './templates/template-loader-options.js';
export type { TemplateLoader, TemplateLoaderOptions, TemplateSourceStatus } from './templates/types.js';
export { monotonicScheduler } from './time/monotonic-scheduler.js';
export type { NodeHttpTransportOptions } from './transport/create-node-http-transport.js';
export { createNodeHttpTransport } from './transport/create-node-http-transport.js';
