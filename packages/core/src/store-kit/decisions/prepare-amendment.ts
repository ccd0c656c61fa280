import { ValidationError } from '../../errors/validation-error.js';
import { applyEventPatch } from '../../event/event-patch.js';
import type { TimelineEvent } from '../../event/types.js';
import { assertTemplateFit } from '../../templates/assert-template-fit.js';
import type { TemplateChecker } from '../../templates/types.js';

/** A dead letter's event with a patch applied, ready to store. */
export interface PreparedAmendment {
  /** The amended event. */
  readonly event: TimelineEvent;
  /** `JSON.stringify(event)`, as stored. */
  readonly json: string;
  /** UTF-8 size of `json`. */
  readonly bytes: number;
}

/**
 * Applies `requeue`'s `amend` to a dead letter's event and validates the result exactly as `record` does, the
 * app's templates included, before anything is written.
 *
 * @param previous - the event as stored
 * @param patch - the caller's `amend`
 * @param options - the time (a valid record time), the store's size limit and templates
 * @throws {@link ValidationError} (subject `requeue amend`) naming each problem as `amend.<field>`
 */
export function prepareAmendment(
  previous: TimelineEvent,
  patch: unknown,
  options: { readonly now: number; readonly maxEventBytes: number; readonly templates: TemplateChecker },
): PreparedAmendment {
  try {
    const { event, json, bytes } = applyEventPatch(previous, patch, options);
    assertTemplateFit(options.templates, event);
    return { event, json, bytes };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(
      'requeue amend',
      error.issues.map((issue) => ({ ...issue, path: issue.path ? `amend.${issue.path}` : 'amend' })),
      { cause: error },
    );
  }
}
