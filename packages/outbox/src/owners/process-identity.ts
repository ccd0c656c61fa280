import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who a lease owner's process is, as the outbox records it the first time it claims for that owner: enough for
 * a later claim, in any process on the same machine, to tell whether that process is gone.
 */
export interface ProcessIdentity {
  /** The machine's host name; owners on other machines are never judged (their processes cannot be seen). */
  readonly host: string;
  /** Linux's boot id (`/proc/sys/kernel/random/boot_id`), which changes when the machine restarts; `''` elsewhere. */
  readonly boot: string;
  /** The process id. */
  readonly pid: number;
  /**
   * What tells this process from an earlier one with the same pid (a container restarted as pid 1): on Linux its
   * start time in clock ticks since boot (field 22 of `/proc/<pid>/stat`), which can be read for any process;
   * elsewhere a random id of this process, which can be compared only with this process's own.
   */
  readonly started: string;
}

/** Reads a small file, or `undefined` where it does not exist (not Linux) or cannot be read. */
function readSmall(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * A Linux process's start time from its `/proc/<pid>/stat`, or `undefined` when there is none to read.
 *
 * @param pid - the process, or `'self'`
 */
export function linuxStartTime(pid: number | 'self'): string | undefined {
  const stat = readSmall(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19]; // field 22 of the whole line
}

/** The identity of this process, shared by every copy of the outbox loaded in it. */
const SHARED = Symbol.for('hubline.outbox.process-identity');

/**
 * This process's identity. Computed once per process and kept on `globalThis` under a registered symbol, so that
 * two copies of this package in one process (a bundle and its host) agree on it and never take each other for
 * gone.
 */
export function currentProcess(): ProcessIdentity {
  const holder = globalThis as { [SHARED]?: ProcessIdentity };
  holder[SHARED] ??= Object.freeze({
    host: hostname(),
    boot: readSmall('/proc/sys/kernel/random/boot_id')?.trim() ?? '',
    pid: process.pid,
    started: linuxStartTime('self') ?? `random:${randomUUID()}`,
  });
  return holder[SHARED];
}
