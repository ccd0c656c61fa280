/**
 * `JSON.stringify` with object keys sorted at every depth, so two values with the same content give the
 * same text whatever order their keys were written in. Arrays keep their order. Values that are not JSON
 * are treated as `JSON.stringify` treats them.
 *
 * @param value - a JSON value, such as a normalised event.
 * @returns the canonical JSON text (`undefined` only when `JSON.stringify` would return it).
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }); // '{"a":[2,{"c":4,"d":3}],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, sortKeys);
}

function sortKeys(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const source = value as Record<string, unknown>;
  // Object.fromEntries defines properties, so an own `__proto__` key stays a key.
  return Object.fromEntries(
    Object.keys(source)
      .sort()
      .map((key) => [key, source[key]]),
  );
}
