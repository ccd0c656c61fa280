/** `1,325`: thousands separators, whatever the locale. */
export const formatCount = (value: number): string => value.toLocaleString('en-US');

/** `96.5`, `1,234.5`: one decimal and thousands separators. */
export const formatRate = (value: number): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/**
 * A duration as a person reads it: `26 s`, `1m 26s`, `2h 05m`.
 *
 * @param ms - milliseconds
 */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
