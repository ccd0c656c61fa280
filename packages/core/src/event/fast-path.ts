import { z } from 'zod';

/**
 * A schema that answers from `fast` when it can and asks `strict` otherwise. `fast` must return a value only
 * for inputs `strict` accepts, and then exactly what `strict` would output; `undefined` means "not sure".
 * Refusals are therefore always `strict`'s own: its issues are passed on unchanged (message set, path
 * relative to the value; zod keeps a set message and prefixes the enclosing path). This keeps every rule in
 * zod while the record path skips zod's per-member payloads for the inputs that are fine.
 *
 * @param strict - the authoritative schema.
 * @param fast - `strict`'s output for inputs it certainly accepts, else `undefined`.
 */
export function withFastPath<Strict extends z.ZodType>(
  strict: Strict,
  fast: (value: unknown) => z.output<Strict> | undefined,
) {
  return z.custom<z.input<Strict>>().transform((value, ctx): z.output<Strict> => {
    const quick = fast(value);
    if (quick !== undefined) return quick;
    const result = strict.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.issues.push(issue as z.core.$ZodRawIssue);
    return z.NEVER;
  });
}
