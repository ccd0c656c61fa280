import type { ValidationIssue } from '../errors/validation-error.js';
import type { TimelineEvent } from '../event/types.js';
import { formatIssuePath } from '../event/validation-issues.js';
import type { CompiledTemplate } from './compile-template.js';
import { type DateTokenFormat, tokenValueProblem } from './token-value-fit.js';

/** How many declared token names an "unknown token" message lists. */
const LISTED_TOKENS = 10;

/**
 * Every way `event` does not fit `compiled`, in the order of the event's fields: each token the template does
 * not declare or whose value does not fit its type (`tokens.<name>`, in the event's order), each required token
 * that is missing (`tokens.<name>`, in the template's order), then the record the event names: a contact
 * template takes `objectId`, `email` or `utk`; any other needs `objectId` and refuses `email` and `utk`, which
 * identify contacts only.
 *
 * @param compiled - the event's template, from `compileTemplate`.
 * @param event - a normalised event.
 * @param dates - how `date` token values are judged.
 */
export function checkEventAgainstTemplate(
  compiled: CompiledTemplate,
  event: TimelineEvent,
  dates: DateTokenFormat,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const tokens = event.tokens;
  for (const name of Object.keys(tokens)) {
    const token = compiled.tokens.get(name);
    if (token === undefined) {
      issues.push({
        path: tokenPath(name),
        message: `is not a token of ${compiled.label}${declared(compiled)}`,
      });
      continue;
    }
    const problem = tokenValueProblem(token, tokens[name] as string, dates);
    if (problem !== undefined) issues.push({ path: tokenPath(name), message: problem });
  }
  for (const name of compiled.required) {
    if (!Object.hasOwn(tokens, name))
      issues.push({ path: tokenPath(name), message: `is required by ${compiled.label}` });
  }
  issues.push(...targetIssues(compiled, event));
  return issues;
}

/** Whether the event names its record the way the template's object type needs. */
function targetIssues(compiled: CompiledTemplate, event: TimelineEvent): ValidationIssue[] {
  const objectType = compiled.template.objectType;
  if (compiled.isContact) {
    return event.objectId === undefined && event.email === undefined && event.utk === undefined
      ? [
          {
            path: 'objectId',
            message: `is required: ${compiled.label} is for ${objectType}; name the contact by objectId, email or utk`,
          },
        ]
      : [];
  }
  const issues: ValidationIssue[] = [];
  if (event.objectId === undefined) {
    issues.push({
      path: 'objectId',
      message: `is required: ${compiled.label} is for ${objectType}, and only contact templates take email or utk instead`,
    });
  }
  for (const field of ['email', 'utk'] as const) {
    if (event[field] !== undefined) {
      issues.push({
        path: field,
        message: `identifies a contact, but ${compiled.label} is for ${objectType}: name the record by objectId`,
      });
    }
  }
  return issues;
}

function tokenPath(name: string): string {
  return formatIssuePath(['tokens', name]);
}

/** `(it declares: a, b, c)`, or `(it declares no tokens)`. */
function declared(compiled: CompiledTemplate): string {
  const names = [...compiled.tokens.keys()];
  if (names.length === 0) return ' (it declares no tokens)';
  const shown = names.slice(0, LISTED_TOKENS).join(', ');
  const more = names.length - LISTED_TOKENS;
  return ` (it declares: ${shown}${more > 0 ? `, and ${more} more` : ''})`;
}
