import type { CompiledTemplate } from '../templates/compile-templates.js';
import { isoDateTime, type WireEvent } from './read-event.js';

/** Why one event is refused by the template rules. */
export interface RuleProblem {
  /** `OBJECT_NOT_FOUND` for an unknown template, else `VALIDATION_ERROR`. */
  readonly category: 'VALIDATION_ERROR' | 'OBJECT_NOT_FOUND';
  /** A machine-readable reason for the `ErrorDetail`. */
  readonly code: string;
  /** What is wrong, naming the field. */
  readonly message: string;
  /** Where, e.g. `inputs[3].tokens.seconds`. */
  readonly in: string;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const digits = /^-?\d{1,16}$/;
const numeric = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const email = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Whether a date token value is acceptable: epoch milliseconds or an ISO 8601 date or date-time. */
function isDateValue(value: string): boolean {
  if (digits.test(value)) return true;
  return (isoDate.test(value) || isoDateTime.test(value)) && Number.isFinite(Date.parse(value));
}

function invalid(code: string, message: string, where: string): RuleProblem {
  return { category: 'VALIDATION_ERROR', code, message, in: where };
}

/** What is wrong with one token value, if anything: undeclared, or not of the token's type. */
function tokenProblem(
  name: string,
  value: string,
  template: CompiledTemplate,
  where: string,
): RuleProblem | undefined {
  const token = template.tokens.get(name);
  if (token === undefined) {
    return invalid(
      'UNKNOWN_TOKEN',
      `Token '${name}' is not defined on event template ${template.id}.`,
      where,
    );
  }
  if (token.type === 'number' && !(numeric.test(value) && Number.isFinite(Number(value)))) {
    return invalid(
      'INVALID_TOKEN_VALUE',
      `Token '${name}' is a number token; '${value}' is not a number.`,
      where,
    );
  }
  if (token.type === 'date' && !isDateValue(value)) {
    return invalid(
      'INVALID_TOKEN_VALUE',
      `Token '${name}' is a date token; '${value}' is not a date.`,
      where,
    );
  }
  if (token.type === 'enumeration' && !token.options?.has(value)) {
    const options = [...(token.options ?? [])].join(', ');
    return invalid(
      'INVALID_TOKEN_VALUE',
      `Token '${name}' must be one of [${options}]; got '${value}'.`,
      where,
    );
  }
  return undefined;
}

/** What is wrong with how the event names its CRM object: contacts need objectId, email or utk; others objectId. */
function objectProblem(event: WireEvent, template: CompiledTemplate, at: string): RuleProblem | undefined {
  if (event.objectId !== undefined) return undefined;
  if (!template.isContact) {
    return invalid('MISSING_OBJECT', `An event on ${template.objectType} needs objectId.`, `${at}.objectId`);
  }
  if (event.email !== undefined || event.utk !== undefined) return undefined;
  return invalid(
    'MISSING_OBJECT',
    `An event on ${template.objectType} needs objectId, email or utk.`,
    `${at}.objectId`,
  );
}

/**
 * Applies the template's rules to one event: the template must exist, every token must be declared and
 * well-typed, and the event must name its CRM object. Returns every problem found (empty when valid).
 */
export function judgeEvent(
  event: WireEvent,
  template: CompiledTemplate | undefined,
  at: string,
  tokensField = 'tokens',
): RuleProblem[] {
  if (template === undefined) {
    return [
      {
        category: 'OBJECT_NOT_FOUND',
        code: 'TEMPLATE_NOT_FOUND',
        message: `Event template ${event.eventTemplateId} was not found.`,
        in: `${at}.eventTemplateId`,
      },
    ];
  }
  const problems: RuleProblem[] = [];
  for (const name in event.tokens) {
    const problem = tokenProblem(name, event.tokens[name]!, template, `${at}.${tokensField}.${name}`);
    if (problem !== undefined) problems.push(problem);
  }
  const object = objectProblem(event, template, at);
  if (object !== undefined) problems.push(object);
  if (event.email !== undefined && !email.test(event.email)) {
    problems.push(invalid('INVALID_EMAIL', `'${event.email}' is not a valid email address.`, `${at}.email`));
  }
  return problems;
}
