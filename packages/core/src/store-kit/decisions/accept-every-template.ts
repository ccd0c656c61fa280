import type { TemplateChecker } from '../../templates/types.js';

/** What a store opened without `templates` checks events against: nothing. */
export const ACCEPT_EVERY_TEMPLATE: TemplateChecker = { check: () => [] };

/**
 * Whether `value` can check events against templates (a store's `templates` option).
 *
 * @param value - what the caller passed
 */
export function isTemplateChecker(value: unknown): value is TemplateChecker {
  return (
    typeof value === 'object' && value !== null && typeof (value as TemplateChecker).check === 'function'
  );
}
