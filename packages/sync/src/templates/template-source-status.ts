import type { TemplateCatalog } from '@hubline/core';
import type { TemplateLoadResult } from './load-template-catalog.js';
import type { TemplateSourceStatus } from './types.js';

/** What the loader holds: its status and the catalog it checks with, which change together. */
export interface TemplateSourceState {
  /** What `status$` shows. */
  readonly status: TemplateSourceStatus;
  /** The catalog events are checked against; `undefined` until a load succeeds (events then go unchecked). */
  readonly catalog: TemplateCatalog | undefined;
}

/** The state before anything loaded. */
export const INITIAL_TEMPLATE_SOURCE: TemplateSourceState = {
  status: { state: 'loading' },
  catalog: undefined,
};

/**
 * The state after a load: a catalog replaces the old one (`loaded`); a failure keeps the old one (`stale`) or,
 * with none yet, leaves events unchecked (`unavailable`). A stopped source stays stopped.
 *
 * @param current - the state before.
 * @param result - what the load gave.
 * @param now - scheduler time, ms.
 * @param delays - how long until the next load after a success (`refreshMs`) and after a failure (`retryMs`).
 */
export function afterLoad(
  current: TemplateSourceState,
  result: TemplateLoadResult,
  now: number,
  delays: { readonly refreshMs: number; readonly retryMs: number },
): TemplateSourceState {
  if (current.status.state === 'stopped') return current;
  if (result.ok) {
    const templates = result.catalog.templates.length;
    return {
      status: { state: 'loaded', templates, loadedAt: now, refreshAt: now + delays.refreshMs },
      catalog: result.catalog,
    };
  }
  const retryAt = now + delays.retryMs;
  const { status, catalog } = current;
  if (catalog === undefined)
    return { status: { state: 'unavailable', error: result.error, retryAt }, catalog };
  const loadedAt = status.state === 'loaded' || status.state === 'stale' ? status.loadedAt : now;
  return {
    status: { state: 'stale', templates: catalog.templates.length, loadedAt, error: result.error, retryAt },
    catalog,
  };
}

/**
 * The state after `stop()`: the catalog stays, so an outbox that still holds the loader keeps checking.
 *
 * @param current - the state before.
 */
export function stopped(current: TemplateSourceState): TemplateSourceState {
  return {
    status: { state: 'stopped', templates: current.catalog?.templates.length ?? 0 },
    catalog: current.catalog,
  };
}

/**
 * When the next load is due after `status`, in ms from now; `undefined` when none is (stopped, or loading).
 *
 * @param status - the status just reached.
 * @param now - scheduler time, ms.
 */
export function nextLoadIn(status: TemplateSourceStatus, now: number): number | undefined {
  switch (status.state) {
    case 'loaded':
      return Math.max(0, status.refreshAt - now);
    case 'stale':
    case 'unavailable':
      return Math.max(0, status.retryAt - now);
    default:
      return undefined;
  }
}
