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
    const token = template.tokens.get(name);
    const value = event.tokens[name]!;
    const where = `${at}.${tokensField}.${name}`;
    if (token === undefined) {
      problems.push({
        category: 'VALIDATION_ERROR',
        code: 'UNKNOWN_TOKEN',
        message: `Token '${name}' is not defined on event template ${template.id}.`,
        in: where,
      });
    } else if (token.type === 'number' && !(numeric.test(value) && Number.isFinite(Number(value)))) {
      problems.push({
        category: 'VALIDATION_ERROR',
        code: 'INVALID_TOKEN_VALUE',
        message: `Token '${name}' is a number token; '${value}' is not a number.`,
        in: where,
      });
    } else if (token.type === 'date' && !isDateValue(value)) {
      problems.push({
        category: 'VALIDATION_ERROR',
        code: 'INVALID_TOKEN_VALUE',
        message: `Token '${name}' is a date token; '${value}' is not a date.`,
        in: where,
      });
    } else if (token.type === 'enumeration' && !token.options?.has(value)) {
      problems.push({
        category: 'VALIDATION_ERROR',
        code: 'INVALID_TOKEN_VALUE',
        message: `Token '${name}' must be one of [${[...(token.options ?? [])].join(', ')}]; got '${value}'.`,
        in: where,
      });
    }
  }
  if (template.isContact) {
    if (event.objectId === undefined && event.email === undefined && event.utk === undefined) {
      problems.push({
        category: 'VALIDATION_ERROR',
        code: 'MISSING_OBJECT',
        message: `An event on ${template.objectType} needs objectId, email or utk.`,
        in: `${at}.objectId`,
      });
    }
  } else if (event.objectId === undefined) {
    problems.push({
      category: 'VALIDATION_ERROR',
      code: 'MISSING_OBJECT',
      message: `An event on ${template.objectType} needs objectId.`,
      in: `${at}.objectId`,
    });
  }
  if (event.email !== undefined && !email.test(event.email)) {
    problems.push({
      category: 'VALIDATION_ERROR',
      code: 'INVALID_EMAIL',
      message: `'${event.email}' is not a valid email address.`,
      in: `${at}.email`,
    });
  }
  return problems;
}
