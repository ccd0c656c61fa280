import { ValidationError } from '../errors/validation-error.js';
import type { TimelineEvent } from '../event/types.js';
import type { TemplateChecker } from './types.js';

/**
 * Refuses `event` when it does not fit the app's templates: the one call a store's `record` makes, after
 * normalising the event and before writing it, so nothing is written on a refusal. A checker with nothing to
 * check against yet (a loader before its first load) answers no issue, and the event is recorded.
 *
 * @param templates - a {@link TemplateCatalog} or a loader's checker.
 * @param event - the normalised event.
 * @throws {@link ValidationError} (`VALIDATION_FAILED`, subject `timeline event`) listing every issue, each
 *   naming its field (`eventTemplateId`, `tokens.<name>`, `objectId`, `email`, `utk`).
 * @example
 * ```ts
 * const event = normalizeEvent(input, { now, newId });
 * if (options.templates) assertTemplateFit(options.templates, event);
 * ```
 */
export function assertTemplateFit(templates: TemplateChecker, event: TimelineEvent): void {
  const issues = templates.check(event);
  if (issues.length > 0) throw new ValidationError('timeline event', issues);
}
