import type { TimelineEvent, ValidationIssue } from '@hubline/core';
import { BehaviorSubject, type Subscription } from 'rxjs';
import type { Transport } from '../contracts.js';
import { createNodeHttpTransport } from '../transport/create-node-http-transport.js';
import { loadTemplateCatalog } from './load-template-catalog.js';
import { resolveTemplateLoaderOptions, TEMPLATE_LOADER_DEFAULTS } from './template-loader-options.js';
import {
  afterLoad,
  INITIAL_TEMPLATE_SOURCE,
  nextLoadIn,
  stopped,
  type TemplateSourceState,
} from './template-source-status.js';
import type { TemplateLoader, TemplateLoaderOptions, TemplateSourceStatus } from './types.js';

const NO_ISSUES: readonly ValidationIssue[] = Object.freeze([]);

/**
 * Loads the app's event templates from HubSpot (`GET /integrators/timeline/v3/{appId}/event-templates` with the
 * developer credentials), keeps them fresh, and checks events against them: hand it to the outbox as its
 * `templates` option and `record` refuses, naming the field, an event that does not fit its template.
 *
 * Checking is opt-in and never blocks recording: the first load starts at once, and until it succeeds every event
 * is recorded unchecked (`ready` is `false`, `status.state` is `loading` or `unavailable`). A load that fails
 * later keeps the last good catalog (`stale`) and is tried again after `retryMs`; a good one is loaded again after
 * `refreshMs`. The developer key is never logged and never part of a message.
 *
 * @param options - the app, a credential, and optionally the base URL, transport, timings, catalog options,
 *   scheduler and logger.
 * @throws ValidationError (`VALIDATION_FAILED`) naming each bad option (see {@link TemplateLoaderOptions}).
 * @example
 * ```ts
 * const templates = createTemplateLoader({ appId: 123456, developerApiKey: process.env.HUBSPOT_DEVELOPER_KEY });
 * const outbox = openOutbox({ path: 'activity.db', templates });
 * templates.status$.subscribe((status) => ui.showTemplates(status.state));
 * // … on shutdown
 * templates.stop();
 * ```
 */
export function createTemplateLoader(options: TemplateLoaderOptions): TemplateLoader {
  const resolved = resolveTemplateLoaderOptions(options);
  const { scheduler, logger, refreshMs, retryMs } = resolved;
  const transport: Transport =
    resolved.transport ??
    createNodeHttpTransport({ maxResponseBytes: TEMPLATE_LOADER_DEFAULTS.maxResponseBytes });
  let state: TemplateSourceState = INITIAL_TEMPLATE_SOURCE;
  const status$ = new BehaviorSubject<TemplateSourceStatus>(state.status);
  let timer: Subscription | undefined;
  let inFlight: Promise<TemplateSourceStatus> | undefined;
  const abort = new AbortController();

  const enter = (next: TemplateSourceState): void => {
    if (next === state) return;
    state = next;
    status$.next(next.status);
  };

  const schedule = (): void => {
    timer?.unsubscribe();
    const delay = nextLoadIn(state.status, scheduler.now());
    timer = delay === undefined ? undefined : scheduler.schedule(() => void load(), delay);
  };

  const load = (): Promise<TemplateSourceStatus> => {
    if (state.status.state === 'stopped') return Promise.resolve(state.status);
    inFlight ??= loadTemplateCatalog({
      transport,
      baseUrl: resolved.baseUrl,
      appId: resolved.appId,
      credential: resolved.credential,
      timeoutMs: resolved.requestTimeoutMs,
      catalog: resolved.catalog,
      signal: abort.signal,
    }).then((result) => {
      inFlight = undefined;
      // Stopped while the request was out: the aborted answer changes nothing and is not worth a warning.
      if (state.status.state === 'stopped') return state.status;
      enter(afterLoad(state, result, scheduler.now(), { refreshMs, retryMs }));
      if (result.ok) log('info', 'event templates loaded', { templates: result.catalog.templates.length });
      else log('warn', 'event templates could not be loaded', describeFailure(result.error, state));
      schedule();
      return state.status;
    });
    return inFlight;
  };

  /** A logger that throws must not stop the loader. */
  const log = (level: 'info' | 'warn', message: string, fields: Record<string, unknown>): void => {
    try {
      logger[level](message, fields);
    } catch {
      // Logging is best effort.
    }
  };

  void load();

  return {
    get catalog() {
      return state.catalog;
    },
    get ready() {
      return state.catalog !== undefined;
    },
    get status() {
      return state.status;
    },
    status$: status$.asObservable(),
    check(event: TimelineEvent): readonly ValidationIssue[] {
      return state.catalog === undefined ? NO_ISSUES : state.catalog.check(event);
    },
    refresh: () => {
      timer?.unsubscribe();
      return load();
    },
    stop() {
      if (state.status.state === 'stopped') return;
      timer?.unsubscribe();
      abort.abort();
      enter(stopped(state));
      status$.complete();
    },
  };
}

/** The log fields of a failed load: its code and (redacted) message, and what is still checked against. */
function describeFailure(
  error: { code: string; message: string },
  state: TemplateSourceState,
): Record<string, unknown> {
  return {
    code: error.code,
    message: error.message,
    keptTemplates: state.catalog?.templates.length ?? 0,
  };
}
