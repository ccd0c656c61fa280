import { linuxStartTime, type ProcessIdentity } from './process-identity.js';

/**
 * Whether the process `owner` names is certainly gone, judged from `me`, another process on the same machine.
 * Only certain answers count: an owner on another machine, or one whose process cannot be checked, is taken
 * for alive (its leases then run out as usual).
 *
 * - The machine restarted since (Linux boot ids differ): gone.
 * - The same pid as `me`: alive only if it is `me` (same start time or id): a restarted container may be pid 1
 *   again.
 * - Another pid: gone if no process has it (`kill(pid, 0)` answers ESRCH), or, on Linux, if the process that
 *   has it now started at another time (the pid was reused).
 *
 * @param owner - the recorded identity of a lease owner's process
 * @param me - this process
 */
export function isProcessGone(owner: ProcessIdentity, me: ProcessIdentity): boolean {
  if (owner.host !== me.host) return false;
  if (owner.boot !== '' && me.boot !== '' && owner.boot !== me.boot) return true;
  if (owner.pid === me.pid) return owner.started !== me.started;
  if (!processExists(owner.pid)) return true;
  if (owner.started.startsWith('random:')) return false;
  const started = linuxStartTime(owner.pid);
  return started !== undefined && started !== owner.started;
}

/** Whether a process with this pid exists (signal 0 checks without sending anything, on every platform). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as { code?: unknown }).code !== 'ESRCH';
  }
}
