import { HublineError, type HublineErrorOptions } from './hubline-error.js';

/** One problem with an input: where it is and why it was refused. */
export interface ValidationIssue {
  /** Dotted path of the field, e.g. `tokens.page-views` or `timelineIFrame.url`; empty for the whole input. */
  readonly path: string;
  /** Why the value was refused, in plain words. */
  readonly message: string;
}

/**
 * An input was refused. `issues` lists every problem found (not only the first), each with its field path.
 * Nothing was written.
 */
export class ValidationError extends HublineError {
  /** Every problem found, in the order of the input's fields. */
  readonly issues: readonly ValidationIssue[];

  /**
   * @param subject - what was refused, as the message names it (`timeline event`, `outbox options`).
   * @param issues - every problem found, each with its path.
   * @param options - the underlying `cause`, if any (e.g. what a getter threw).
   */
  constructor(subject: string, issues: readonly ValidationIssue[], options?: HublineErrorOptions) {
    super('VALIDATION_FAILED', formatValidationMessage(subject, issues), options);
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

function formatValidationMessage(subject: string, issues: readonly ValidationIssue[]): string {
  const lines = issues.map((issue) => `  - ${issue.path || '(root)'}: ${issue.message}`);
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return `Invalid ${subject} (${count}):\n${lines.join('\n')}`;
}
