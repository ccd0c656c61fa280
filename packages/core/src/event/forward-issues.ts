import type { z } from 'zod';

/**
 * Passes the issues of a nested `safeParse` on to the enclosing parse. They are final (message set, path
 * relative to the nested value); zod keeps a set message and prefixes the enclosing path, as it does for the
 * issues of a nested schema.
 */
export function forwardIssues(error: z.ZodError, ctx: { issues: z.core.$ZodRawIssue[] }): void {
  for (const issue of error.issues) ctx.issues.push(issue as z.core.$ZodRawIssue);
}
