import type { AccountRegistry } from '../accounts/account-registry.js';
import type { ResolvedDeveloper } from '../auth/developer-key.js';
import type { TokenStore } from '../auth/token-store.js';
import type { EventStore } from '../events/event-store.js';
import type { FaultPlanner } from '../faults/fault-planner.js';
import type { ResolvedLimits } from '../limits/limit-types.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { TemplateRegistry } from '../templates/template-registry.js';
import type { RequestLog } from './request-log.js';
import type { Sleeper } from './sleeper.js';

/** Everything the routes of one emulator share: its state, its clock and its sleep. */
export interface Runtime {
  /** The emulator's clock, epoch milliseconds. */
  readonly clock: () => number;
  /** Every delay goes through it; `stop()` ends them all. */
  readonly sleeper: Sleeper;
  /** The app's event templates. */
  readonly templates: TemplateRegistry;
  /** Access tokens, OAuth clients and installs. */
  readonly tokens: TokenStore;
  /** The accounts and their rate limits. */
  readonly accounts: AccountRegistry;
  /** The app's developer credentials. */
  readonly developer: ResolvedDeveloper;
  /** Seeded faults and latency. */
  readonly planner: FaultPlanner;
  /** Rate budgets per account (and per developer key). */
  readonly limiter: RateLimiter;
  /** Stored events. */
  readonly store: EventStore;
  /** The request log and counters. */
  readonly log: RequestLog;
  /** The limits in force. */
  limits: ResolvedLimits;
  /** Bumped by `reset()`: work scheduled before it (a delayed store) is dropped. */
  generation: number;
}
