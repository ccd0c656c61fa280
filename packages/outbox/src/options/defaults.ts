/**
 * The defaults of `openOutbox`'s storage settings, each under the option's own name: one object, the way every
 * Hubline package names its defaults (`SYNC_DEFAULTS`, `POSTGRES_OUTBOX_DEFAULTS`…).
 */
export const OUTBOX_DEFAULTS = {
  /** How long a write waits for another connection's lock, ms. */
  busyTimeoutMs: 5000,
  /**
   * A connection's page cache, KiB: 8 MiB. Claims and settles touch the entries table, two indexes and the log near
   * their ends, so a small cache holds the working set; a larger one only grows the process's memory with the size
   * of the file (RSS while draining a million entries was 506 MB with 32 MiB plus a 256 MiB mmap).
   */
  cacheSizeKiB: 8192,
  /**
   * The memory-mapped I/O window, bytes: off. Mapped pages count in the process's RSS and grow with the file;
   * reads through the page cache cost about the same here (see docs/benchmarks.md).
   */
  mmapSizeBytes: 0,
  /**
   * Pages the write-ahead log takes before SQLite copies them back into the file, about 16 MiB. Every claim and
   * settle is a small transaction writing a dozen pages; copying back every 1,000 pages (SQLite's default) took a
   * large share of an engine's time draining 50 accounts (see docs/benchmarks.md).
   */
  checkpointPages: 4000,
} as const;
