import { z } from 'zod';

/**
 * A schema that answers from `fast` when it can and asks `strict` otherwise. `fast` must return a value only
 * for inputs `strict` accepts, and then exactly what `strict` would output; `undefined` means "not sure".
 * Refusals are therefore always `strict`'s own issues, worded by its error maps. This keeps every rule in zod
 * while the record path skips zod's per-member payloads for the inputs that are fine.
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
    // Run `strict` as zod runs a nested schema: its raw issues join the enclosing parse, which words them
    // (through `strict`'s own error maps) and prefixes the path once, without building an error per field.
    const result = strict._zod.run({ value, issues: [] }, STRICT_CONTEXT);
    if (result instanceof Promise) throw new Error('withFastPath needs a synchronous schema');
    if (result.issues.length === 0) return result.value as z.output<Strict>;
    for (const issue of result.issues) ctx.issues.push(issue);
    return z.NEVER;
  });
}

const STRICT_CONTEXT: z.core.ParseContextInternal = { async: false };
