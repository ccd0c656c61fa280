import { ValidationError } from '../../errors/validation-error.js';
import { normalizeEventWithJson } from '../../event/normalize-event.js';
import type { TimelineEvent, TimelineEventInput } from '../../event/types.js';
import { assertTemplateFit } from '../../templates/assert-template-fit.js';
import type { TemplateChecker } from '../../templates/types.js';

/** A normalised event ready to insert. */
export interface PreparedEvent {
  /** The input as the app gave it (its own `timestamp` or not decides what "the same content" means). */
  readonly input: TimelineEventInput;
  /** The normalised event. */
  readonly event: TimelineEvent;
  /** `JSON.stringify(event)`, as stored. */
  readonly json: string;
  /** UTF-8 size of `json`. */
  readonly bytes: number;
  /** The account the input names (`'default'` when none): stored beside the event, never in it. */
  readonly account: string;
}

/**
 * Validates and normalises one input through core, and checks it against the app's templates.
 *
 * @param input - the event as the app has it
 * @param options - record time, id factory and size limit
 * @param index - its position in a `recordMany` of more than one, named in the issues' paths
 * @throws {@link ValidationError} naming each bad field (`[index].field` in a batch)
 */
export function prepareEvent(
  input: TimelineEventInput,
  options: {
    readonly now: number;
    readonly newId: () => string;
    readonly maxEventBytes: number;
    /** The app's templates; an event that does not fit is refused like an invalid one. */
    readonly templates: TemplateChecker;
  },
  index: number | undefined,
): PreparedEvent {
  try {
    // Core serialises the event to measure it; storing that JSON means each event is stringified once.
    const { event, json, bytes, account } = normalizeEventWithJson(input, options);
    assertTemplateFit(options.templates, event);
    return { input, event, json, bytes, account };
  } catch (error) {
    if (index !== undefined && error instanceof ValidationError) {
      throw new ValidationError(
        `timeline event at index ${index}`,
        error.issues.map((issue) => ({
          ...issue,
          path: issue.path ? `[${index}].${issue.path}` : `[${index}]`,
        })),
        { cause: error },
      );
    }
    throw error;
  }
}
