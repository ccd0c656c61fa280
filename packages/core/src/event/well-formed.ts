/** With the `u` flag a paired surrogate is one code point, so only a lone half is `\p{Cs}`. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * What a refused string is told: JSON and UTF-8 cannot carry half a surrogate pair faithfully (it arrives as
 * U+FFFD or not at all), so HubSpot would hold other text than what was recorded.
 */
export const LONE_SURROGATE_MESSAGE = 'must be well-formed Unicode: it contains half of a surrogate pair';

/**
 * Whether `text` holds a lone (unpaired) UTF-16 surrogate.
 *
 * @param text - Any string about to be sent.
 */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}
