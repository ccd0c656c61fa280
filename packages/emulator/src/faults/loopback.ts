/**
 * Whether a peer address is on loopback (127.0.0.0/8, ::1, or an IPv4-mapped 127.x). The faults that stream a
 * body (oversized, dripping) are served only to such peers, so the emulator cannot be turned on other hosts.
 */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  if (address === '::1') return true;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}
