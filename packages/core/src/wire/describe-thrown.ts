/**
 * What was thrown, as text, without throwing again (a value's `toString` may itself throw).
 *
 * @param thrown - Anything caught.
 */
export function describeThrown(thrown: unknown): string {
  try {
    return thrown instanceof Error ? thrown.message : String(thrown);
  } catch {
    return 'an unprintable value';
  }
}
