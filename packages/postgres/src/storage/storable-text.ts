/*
 * PostgreSQL's `text` cannot hold U+0000: a parameter with a NUL in it fails the whole statement ("invalid byte
 * sequence for encoding UTF8: 0x00"). The store writes what others wrote — a reason or message HubSpot (or a
 * server posing as it) sent — so a NUL there would make every settle of that entry fail, for good. Every value goes
 * through here on its way to the server, and a NUL is written as U+FFFD, the character that stands for what could
 * not be kept. (Event JSON never holds one: `JSON.stringify` writes it as `\u0000`.)
 */

const NUL = '\u0000';
const REPLACEMENT = '\uFFFD';

/** Whether a statement's parameter is, or holds, a string with a NUL in it. */
function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  return (
    Array.isArray(value) && value.some((element) => typeof element === 'string' && element.includes(NUL))
  );
}

/** A parameter with each NUL of its strings written as U+FFFD. */
function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll(NUL, REPLACEMENT);
  if (Array.isArray(value)) return value.map(withoutNul);
  return value;
}

/**
 * A statement's parameters as PostgreSQL can store them: the same array when no string holds a NUL (the usual
 * case, checked without copying), else a copy with each NUL written as U+FFFD.
 *
 * @param values - the parameters, `$1` first
 */
export function storableValues(values: readonly unknown[]): readonly unknown[] {
  return values.some(hasNul) ? values.map(withoutNul) : values;
}
