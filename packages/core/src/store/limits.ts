/**
 * The longest delay or duration, in ms, that crosses the storage port or sets a timer: 2^31 − 1 (about 24.8
 * days). Node fires a timer asked for anything longer after 1 ms, so a lease, a retry delay or a pause beyond it
 * would turn into a busy loop; stores refuse such values with `VALIDATION_FAILED`, and `nextDueIn` never
 * answers more.
 */
export const MAX_DELAY_MS = 2 ** 31 - 1;
