import { createHash, timingSafeEqual } from 'node:crypto';

/** Finds which client an API key belongs to. */
export type ClientKeyCheck = (presented: string | undefined) => string | undefined;

/** A key shorter than this is refused at start: it could be guessed. 32 characters of base64url are 192 bits. */
export const MIN_KEY_LENGTH = 32;

/**
 * Check an API key against every client's key in constant time: both sides are hashed first, so every
 * comparison is between 32-byte digests whatever their lengths, and every key is compared every time, so the
 * time taken says neither which client nor how much of a key matched.
 *
 * @param keys - client name → its API key
 * @returns a check that gives the client's name, or `undefined` for a missing or unknown key
 * @example
 * ```ts
 * const clientOf = createKeyCheck({ 'web-app': process.env.WEB_KEY!, 'ios-app': process.env.IOS_KEY! });
 * clientOf(request.headers['x-api-key']); // 'web-app', or undefined
 * ```
 */
export function createKeyCheck(keys: Readonly<Record<string, string>>): ClientKeyCheck {
  const clients = Object.entries(keys).map(([name, key]) => ({ name, digest: digest(key) }));
  return (presented) => {
    const candidate = digest(presented ?? '');
    let found: string | undefined;
    for (const client of clients) {
      if (timingSafeEqual(candidate, client.digest)) found ??= client.name;
    }
    return found;
  };
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
