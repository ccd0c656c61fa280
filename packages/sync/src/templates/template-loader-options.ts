import {
  createTemplateCatalog,
  isHublineError,
  type Logger,
  silentLogger,
  type TemplateCatalogOptions,
  ValidationError,
  type ValidationIssue,
} from '@hubline/core';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { resolveTokenProvider } from '../auth/resolve-token-provider.js';
import type { AccessTokenSource, TokenProvider, Transport } from '../contracts.js';

import { baseUrlIssues } from '../transport/assert-base-url.js';
import type { TemplateLoaderOptions } from './types.js';

/** Defaults of {@link TemplateLoaderOptions}, in one place. */
export const TEMPLATE_LOADER_DEFAULTS = {
  baseUrl: 'https://api.hubapi.com',
  refreshMs: 300_000,
  retryMs: 30_000,
  requestTimeoutMs: 30_000,
  /** The default transport's body cap: 750 templates (HubSpot's maximum) with long markdown fit in it. */
  maxResponseBytes: 16 * 1024 * 1024,
} as const;

/** How the loader authenticates: the key as a query parameter, or a bearer token. */
export type TemplateCredential =
  | {
      readonly kind: 'api-key';
      /** The developer account's API key, sent as `hapikey`; never logged or quoted. */
      readonly key: string;
    }
  | {
      readonly kind: 'token';
      /** Gives the bearer token (`developers-read` scope); invalidated after a 401. */
      readonly provider: TokenProvider;
    };

/** {@link TemplateLoaderOptions} checked, with every default filled in. */
export interface ResolvedTemplateLoaderOptions {
  /** The app's id, as the digits of a positive int32. */
  readonly appId: string;
  /** The one credential given: `developerApiKey` or `accessToken`. */
  readonly credential: TemplateCredential;
  /** HubSpot's API root. @default 'https://api.hubapi.com' */
  readonly baseUrl: string;
  /** The given transport; `undefined` for the default one, which the loader builds. */
  readonly transport: Transport | undefined;
  /** How long a loaded catalog is used before it is loaded again, in ms. @default 300000 */
  readonly refreshMs: number;
  /** How soon a failed load is tried again, in ms. @default 30000 */
  readonly retryMs: number;
  /** One request's deadline, in ms. @default 30000 */
  readonly requestTimeoutMs: number;
  /** How strictly the catalog checks events. @default {} */
  readonly catalog: TemplateCatalogOptions;
  /** Where the refresh and retry timers run and the status's times come from. @default asyncScheduler */
  readonly scheduler: SchedulerLike;
  /** Told of loads (info) and failures (warn). @default a no-op logger */
  readonly logger: Logger;
}

/** HubSpot types `appId` as int32. */
const APP_ID = /^[1-9]\d{0,9}$/;
const MAX_APP_ID = 2_147_483_647;
/** What a query parameter can carry unencoded and a key plausibly holds: no whitespace or control characters. */
const UNUSABLE_KEY = /[\s\p{Cc}]/u;

/**
 * Checks the loader's options, naming every bad field at once; no message quotes a credential.
 *
 * @param options - what the app gave.
 * @throws ValidationError (`VALIDATION_FAILED`, subject `template loader options`) naming `appId`,
 *   `developerApiKey` / `accessToken` (neither or both given, or unusable), `baseUrl`, `refreshMs`, `retryMs`,
 *   `requestTimeoutMs`, `transport`, `catalog.requireAllTokens`, `catalog.dateTokens`.
 */
export function resolveTemplateLoaderOptions(options: TemplateLoaderOptions): ResolvedTemplateLoaderOptions {
  const issues: ValidationIssue[] = [];
  const appId = String(options.appId);
  if (
    !(typeof options.appId === 'number' || typeof options.appId === 'string') ||
    !APP_ID.test(appId) ||
    Number(appId) > MAX_APP_ID
  ) {
    issues.push({ path: 'appId', message: 'must be a positive integer (HubSpot app ids are int32)' });
  }
  const credential = resolveCredential(options, issues);
  const baseUrl = options.baseUrl ?? TEMPLATE_LOADER_DEFAULTS.baseUrl;
  issues.push(...baseUrlIssues(baseUrl, 'baseUrl'));
  const refreshMs = positiveInteger(options, 'refreshMs', issues);
  const retryMs = positiveInteger(options, 'retryMs', issues);
  const requestTimeoutMs = positiveInteger(options, 'requestTimeoutMs', issues);
  if (options.transport !== undefined && typeof options.transport !== 'function') {
    issues.push({ path: 'transport', message: 'must be a function (a Transport)' });
  }
  issues.push(...catalogOptionIssues(options.catalog));
  if (issues.length > 0 || credential === undefined)
    throw new ValidationError('template loader options', issues);
  return {
    appId,
    credential,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    transport: options.transport,
    refreshMs,
    retryMs,
    requestTimeoutMs,
    catalog: options.catalog ?? {},
    scheduler: options.scheduler ?? asyncScheduler,
    logger: options.logger ?? silentLogger,
  };
}

function resolveCredential(
  options: TemplateLoaderOptions,
  issues: ValidationIssue[],
): TemplateCredential | undefined {
  const { developerApiKey: key, accessToken } = options;
  if (key !== undefined && accessToken !== undefined) {
    issues.push({ path: 'accessToken', message: 'give developerApiKey or accessToken, not both' });
    return undefined;
  }
  if (accessToken !== undefined) return tokenCredential(accessToken, issues);
  if (key === undefined) {
    issues.push({ path: 'developerApiKey', message: 'is required (or give accessToken)' });
    return undefined;
  }
  if (typeof key !== 'string' || key.length === 0 || UNUSABLE_KEY.test(key)) {
    // Never quote the value: it may be the key with a stray character.
    issues.push({
      path: 'developerApiKey',
      message: 'must be a non-empty string without whitespace or control characters',
    });
    return undefined;
  }
  return { kind: 'api-key', key };
}

function tokenCredential(
  source: AccessTokenSource,
  issues: ValidationIssue[],
): TemplateCredential | undefined {
  try {
    return { kind: 'token', provider: resolveTokenProvider(source) };
  } catch (error) {
    if (!isHublineError(error, 'VALIDATION_FAILED')) throw error;
    issues.push(...(error as ValidationError).issues);
    return undefined;
  }
}

function positiveInteger(
  options: TemplateLoaderOptions,
  field: 'refreshMs' | 'retryMs' | 'requestTimeoutMs',
  issues: ValidationIssue[],
): number {
  const value = options[field] ?? TEMPLATE_LOADER_DEFAULTS[field];
  if (!Number.isSafeInteger(value) || value < 1) {
    issues.push({
      path: field,
      message: `must be a positive integer number of ms, got ${String(options[field])}`,
    });
  }
  return value;
}

/** The catalog options' problems, each under `catalog.`, found by building an empty catalog with them now. */
function catalogOptionIssues(catalog: TemplateCatalogOptions | undefined): ValidationIssue[] {
  try {
    createTemplateCatalog([], catalog);
    return [];
  } catch (error) {
    if (!isHublineError(error, 'VALIDATION_FAILED')) throw error;
    return (error as ValidationError).issues.map((issue) => ({ ...issue, path: `catalog.${issue.path}` }));
  }
}
