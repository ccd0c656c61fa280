import type { ValidationIssue } from '../errors/validation-error.js';
import { ValidationError } from '../errors/validation-error.js';
import type { DateTokenFormat } from './token-value-fit.js';

/** Options of {@link createTemplateCatalog}: how strictly events are held to their template. */
export interface TemplateCatalogOptions {
  /**
   * Refuse an event that leaves out any token its template declares. HubSpot does not: it takes an event without
   * some of its template's tokens and renders their places empty, so by default only tokens declared
   * `required: true` (a Hubline flag for templates declared in code) must be present.
   * @default false
   */
  requireAllTokens?: boolean;
  /**
   * What a `date` token's value may be. HubSpot documents epoch milliseconds only ("All dates must be in
   * milliseconds in Unix time"), which is what a `Date` token value becomes when it is recorded. Choose
   * `'epoch-ms-or-iso'` to also accept an ISO date (`2026-03-01`) or an RFC 3339 date-time with a zone, if your
   * account is known to take them.
   * @default 'epoch-ms'
   */
  dateTokens?: DateTokenFormat;
}

/** {@link TemplateCatalogOptions} with every default filled in. */
export interface ResolvedCatalogOptions {
  /** See {@link TemplateCatalogOptions.requireAllTokens}. */
  readonly requireAllTokens: boolean;
  /** See {@link TemplateCatalogOptions.dateTokens}. */
  readonly dateTokens: DateTokenFormat;
}

/**
 * Fills in the defaults of {@link TemplateCatalogOptions}, naming each unusable option.
 *
 * @param options - what the app gave.
 * @throws {@link ValidationError} (`VALIDATION_FAILED`) naming `requireAllTokens` or `dateTokens`.
 */
export function resolveCatalogOptions(options: TemplateCatalogOptions = {}): ResolvedCatalogOptions {
  const issues: ValidationIssue[] = [];
  const requireAllTokens = options.requireAllTokens ?? false;
  if (typeof requireAllTokens !== 'boolean')
    issues.push({ path: 'requireAllTokens', message: 'must be a boolean' });
  const dateTokens = options.dateTokens ?? 'epoch-ms';
  if (dateTokens !== 'epoch-ms' && dateTokens !== 'epoch-ms-or-iso') {
    issues.push({ path: 'dateTokens', message: 'must be "epoch-ms" or "epoch-ms-or-iso"' });
  }
  if (issues.length > 0) throw new ValidationError('template catalog options', issues);
  return { requireAllTokens, dateTokens };
}
