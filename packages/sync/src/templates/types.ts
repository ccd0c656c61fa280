import type {
  HublineError,
  Logger,
  TemplateCatalog,
  TemplateCatalogOptions,
  TemplateChecker,
} from '@hubline/core';
import type { Observable, SchedulerLike } from 'rxjs';
import type { AccessTokenSource, Transport } from '../contracts.js';

/** Options of {@link createTemplateLoader}. `appId` and one credential are required. */
export interface TemplateLoaderOptions {
  /** The HubSpot app whose event templates are loaded (its id on the app's page of the developer account). */
  appId: number | string;
  /**
   * The developer account's API key, sent as the `hapikey` query parameter, as HubSpot's docs authenticate the
   * template routes. It is never logged, and never part of an error or status message, raw or URL-encoded.
   * Give this or `accessToken`.
   */
  developerApiKey?: string;
  /**
   * Instead of `developerApiKey`: an OAuth token with the `developers-read` scope (the spec's scheme for these
   * routes), as a string, a function or a `TokenProvider`. A 401 invalidates it.
   */
  accessToken?: AccessTokenSource;
  /** HubSpot's API root (or a test server's URL). @default 'https://api.hubapi.com' */
  baseUrl?: string;
  /**
   * Sends the request. Its own body cap applies: an app with hundreds of templates needs more than the 1 MiB a
   * transport reads by default.
   * @default `createNodeHttpTransport({ maxResponseBytes: 16 MiB })`
   */
  transport?: Transport;
  /** How long a loaded catalog is used before it is loaded again, in ms. @default 300000 (5 minutes) */
  refreshMs?: number;
  /** How soon a failed load is tried again, in ms. @default 30000 */
  retryMs?: number;
  /** Give up on one request after this many ms. @default 30000 */
  requestTimeoutMs?: number;
  /** How strictly the loaded catalog holds events to their templates. @default `{}` (see `createTemplateCatalog`) */
  catalog?: TemplateCatalogOptions;
  /** Where refresh and retry timers run and the time stamps of the status come from. @default asyncScheduler */
  scheduler?: SchedulerLike;
  /** Told when templates load (info) and when a load fails (warn); never given a credential. @default a no-op logger */
  logger?: Logger;
}

/**
 * Where a template loader stands. Events are checked only while it has a catalog (`loaded`, `stale`); before the
 * first load succeeds (`loading`, `unavailable`) every event is recorded unchecked, as with no templates at all.
 */
export type TemplateSourceStatus =
  /** The first load is under way: nothing to check against yet. */
  | { readonly state: 'loading' }
  /** No load has succeeded yet: events are recorded unchecked; the next try is at `retryAt`. */
  | {
      readonly state: 'unavailable';
      /** Why the last load failed (`TRANSPORT_FAILED`, `UNAUTHORIZED`, `FORBIDDEN`, `HTTP_ERROR`, `VALIDATION_FAILED`). */
      readonly error: HublineError;
      /** When the next load starts, in the scheduler's ms (epoch ms with the default scheduler). */
      readonly retryAt: number;
    }
  /** The catalog is fresh: `templates` templates, loaded at `loadedAt`, loaded again at `refreshAt`. */
  | {
      readonly state: 'loaded';
      /** How many templates the catalog holds. */
      readonly templates: number;
      /** When it loaded, in the scheduler's ms. */
      readonly loadedAt: number;
      /** When it is loaded again, in the scheduler's ms: `loadedAt + refreshMs`. */
      readonly refreshAt: number;
    }
  /** The last load failed: the catalog loaded at `loadedAt` is still used; the next try is at `retryAt`. */
  | {
      readonly state: 'stale';
      /** How many templates the catalog still in use holds. */
      readonly templates: number;
      /** When that catalog loaded, in the scheduler's ms. */
      readonly loadedAt: number;
      /** Why the last load failed. */
      readonly error: HublineError;
      /** When the next load starts, in the scheduler's ms. */
      readonly retryAt: number;
    }
  /** `stop()` was called: nothing is loaded any more; the last catalog, if any, still checks events. */
  | {
      readonly state: 'stopped';
      /** How many templates the last catalog holds; 0 when none ever loaded. */
      readonly templates: number;
    };

/**
 * The app's event templates, loaded from HubSpot and kept fresh, as a {@link TemplateChecker} an outbox can hold:
 * `check(event)` judges against the last catalog that loaded, and answers no issue while none has.
 */
export interface TemplateLoader extends TemplateChecker {
  /** The last catalog that loaded, or `undefined` before the first load succeeds. */
  readonly catalog: TemplateCatalog | undefined;
  /** Whether events are checked: a catalog has loaded. */
  readonly ready: boolean;
  /** Where the loader stands now. */
  readonly status: TemplateSourceStatus;
  /** The status now, then every change; completes on `stop()`. */
  readonly status$: Observable<TemplateSourceStatus>;
  /**
   * Loads the templates now (or joins the load under way) and resolves with the status it leads to. Never
   * rejects: a failure is a status (`unavailable` or `stale`). After `stop()` it resolves `stopped` at once.
   */
  refresh(): Promise<TemplateSourceStatus>;
  /** Stops loading: cancels the timer and any request under way, and completes `status$`. Idempotent. */
  stop(): void;
}
