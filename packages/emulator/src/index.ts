/**
 * @hubline/emulator — a local HubSpot timeline API for tests, benchmarks and demos: HubSpot's routes,
 * auth, validation, id conflicts and rate limits as far as they are known, plus seeded fault injection
 * (latency, 5xx, 429 bursts, 423/477, connection resets, slow answers, going offline).
 *
 * @packageDocumentation
 */

export { controlRoutes } from './control-routes.js';
export { defaultTemplates } from './default-templates.js';
export { faultKinds } from './fault-planner.js';
export { defaultLimits } from './limits.js';
export { startEmulator } from './start-emulator.js';
export { defaultAccessToken, defaultOAuthClient } from './token-store.js';
export type {
  AuthOptions,
  ConflictMode,
  EmulatorCounters,
  EmulatorOptions,
  EventTemplate,
  FaultKind,
  FaultOptions,
  IssuedToken,
  IssueTokenOptions,
  LimitsOptions,
  OAuthClientOptions,
  RequestLogEntry,
  ResolvedLimits,
  RunningEmulator,
  StaticTokenOptions,
  StoredEvent,
  TemplateToken,
  TemplateTokenOption,
  TemplateTokenType,
} from './types.js';
