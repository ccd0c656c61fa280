// A copy of @hubline/outbox's src/validation/describe-value.ts, kept word for word: every store must check and decide alike,
// and the outbox does not export it. Delete it when the storage port's shared helpers move to @hubline/core.
/**
 * A value as a validation message shows it, kept short and free of content: a long string is summarised by its
 * length, an object by its kind.
 *
 * @param value - what the caller passed
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return value.length <= 20 ? JSON.stringify(value) : `a string of ${value.length} characters`;
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    default:
      return `a ${typeof value}`;
  }
}
