/**
 * `text` with every character a regular expression treats specially escaped, so an event id can be matched
 * literally inside a larger pattern.
 *
 * @param text - the literal text, e.g. a sent event's id.
 */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
