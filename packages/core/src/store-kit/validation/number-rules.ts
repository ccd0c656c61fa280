/** What a numeric option must be, and how an error says it. */
export interface NumberRule {
  /** How a refusal describes an acceptable value. */
  readonly words: string;
  /**
   * Whether `value` is acceptable.
   *
   * @param value - the option's value
   */
  accepts(value: number): boolean;
}

/** `maxEntries`, `maxBytes`: a count, or no limit at all. */
export const LIMIT: NumberRule = {
  words: 'an integer ≥ 1 or Infinity',
  accepts: (value) => value === Number.POSITIVE_INFINITY || (Number.isSafeInteger(value) && value > 0),
};

/** A count of at least one. */
export const POSITIVE_INTEGER: NumberRule = {
  words: 'an integer ≥ 1',
  accepts: (value) => Number.isSafeInteger(value) && value > 0,
};

/** A size that may be zero. */
export const NON_NEGATIVE_INTEGER: NumberRule = {
  words: 'an integer ≥ 0',
  accepts: (value) => Number.isSafeInteger(value) && value >= 0,
};
