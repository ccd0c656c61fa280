import type { z } from 'zod';
import type { ValidationIssue } from '../errors/validation-error.js';

/** Where an issue was found, as zod reports it. */
type IssuePath = readonly PropertyKey[];

const SIMPLE_KEY = /^[A-Za-z0-9_$.-]+$/;

/**
 * Writes a path the way people read it: `tokens.page`, `timelineIFrame.url`, `extraData.a.b[2]`, and
 * `tokens["two words"]` for keys that are not plain names. The root is the empty string.
 *
 * @param path - keys and indices from the root.
 */
export function formatIssuePath(path: IssuePath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && SIMPLE_KEY.test(segment))
      out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/** Known field names per object path, to suggest the intended field for an unknown key. */
export type KnownFields = ReadonlyMap<string, readonly string[]>;

/**
 * Maps zod issues to Hubline's {@link ValidationIssue}s: one per problem, each with its dotted path. An
 * unknown key becomes one issue per key, at that key's path, suggesting the closest known field.
 *
 * @param issues - what zod reported.
 * @param knownFields - field names by formatted object path, for "did you mean" suggestions.
 */
export function toValidationIssues(
  issues: readonly z.core.$ZodIssue[],
  knownFields: KnownFields,
): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const issue of issues) {
    switch (issue.code) {
      case 'unrecognized_keys': {
        const where = formatIssuePath(issue.path);
        const known = knownFields.get(where) ?? [];
        for (const key of issue.keys) {
          const suggestion = closest(key, known);
          out.push({
            path: formatIssuePath([...issue.path, key]),
            message: `is not a known field${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}`,
          });
        }
        break;
      }
      case 'invalid_key':
        out.push({
          path: formatIssuePath(issue.path),
          message: `invalid name: ${issue.issues.map((inner) => inner.message).join('; ')}`,
        });
        break;
      default:
        out.push({ path: formatIssuePath(issue.path), message: issue.message });
    }
  }
  return out;
}

/** The known name within edit distance 2 of `key` (case-insensitive), if any. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  const lower = key.toLowerCase();
  for (const name of known) {
    const distance = editDistance(lower, name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}
