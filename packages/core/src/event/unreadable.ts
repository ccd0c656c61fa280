/**
 * What to say about a property whose getter threw while the input was read (an accessor on a class instance
 * made plain, a Proxy, a lazily computed field), so the app gets a `ValidationError` naming the field instead
 * of the getter's own error escaping from `record`.
 *
 * @param error - whatever the getter threw; kept by the caller as the `ValidationError`'s `cause`.
 */
export function unreadableMessage(error: unknown): string {
  return `could not be read: reading it threw ${describeThrown(error)}`;
}

/** Where reading an input threw, and what it threw. */
export interface UnreadableProperty {
  /** Keys from the root to the property whose read threw. */
  readonly path: readonly string[];
  /** What the read threw. */
  readonly error: unknown;
}

/**
 * The first own enumerable property of `value`, `depth` levels deep at most, whose read throws. Only for
 * locating a failure after the fact: it reads every property again.
 *
 * @param value - the input that could not be read.
 * @param depth - how many levels of objects to look into (1: only `value`'s own properties).
 */
export function findUnreadable(value: unknown, depth: number): UnreadableProperty | undefined {
  if (depth < 1 || typeof value !== 'object' || value === null) return undefined;
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch (error) {
    return { path: [], error };
  }
  for (const key of keys) {
    let item: unknown;
    try {
      item = (value as Record<string, unknown>)[key];
    } catch (error) {
      return { path: [key], error };
    }
    const inner = findUnreadable(item, depth - 1);
    if (inner !== undefined) return { path: [key, ...inner.path], error: inner.error };
  }
  return undefined;
}

function describeThrown(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    // A thrown object whose own toString throws: say so rather than throw a third time.
    return 'a value that cannot be shown';
  }
}
