/**
 * @hubline/emulator — a local HubSpot timeline API for tests, benchmarks and demos: HubSpot's routes,
 * auth, accounts, event templates, validation, id conflicts and rate limits as far as they are known, plus
 * seeded fault injection (latency, 5xx, 429 bursts, 423/477, connection resets, slow answers, answers that
 * prove nothing, oversized and dripping bodies, a failing token endpoint, going offline).
 *
 * @packageDocumentation
 */

export { defaultAccountId } from './accounts/account-registry.js';
export type {
  AccountLimitsOptions,
  AccountOptions,
  AccountSummary,
  InstallOptions,
  ResolvedAccountLimits,
} from './accounts/account-types.js';
export type {
  AuthOptions,
  AuthorizationCode,
  AuthorizeOptions,
  DeveloperOptions,
  IssuedToken,
  IssueTokenOptions,
  OAuthClientOptions,
  StaticTokenOptions,
} from './auth/auth-types.js';
export type { ResolvedDeveloper } from './auth/developer-key.js';
export { defaultDeveloper } from './auth/developer-key.js';
export { defaultAccessToken, defaultOAuthClient } from './auth/token-store.js';
export { controlRoutes } from './control/control-routes.js';
export type {
  EmulatorCounters,
  EmulatorOptions,
  EventFilter,
  RequestLogEntry,
  RunningEmulator,
} from './emulator-types.js';
export type { StoredEvent } from './events/stored-event.js';
export { apiFaultKinds, faultKinds, hostileAnswerKinds, tokenFaultKinds } from './faults/fault-settings.js';
export type {
  ApiFaultKind,
  FaultKind,
  FaultOptions,
  HostileAnswerKind,
  TokenFaultKind,
} from './faults/fault-types.js';
export type { ConflictMode, LimitsOptions, ResolvedLimits } from './limits/limit-types.js';
export { defaultLimits } from './limits/limits.js';
export { startEmulator } from './start-emulator.js';
export { defaultTemplates } from './templates/default-templates.js';
export type {
  EventTemplate,
  TemplateToken,
  TemplateTokenOption,
  TemplateTokenType,
} from './templates/template-types.js';
