/** Default busy timeout: how long a write waits for another connection's lock. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * Default page cache of a connection: 8 MiB. Claims and settles touch the entries table, two indexes and the
 * log near their ends, so a small cache holds the working set; a larger one only grows the process's memory
 * with the size of the file (RSS while draining a million entries was 506 MB with 32 MiB plus a 256 MiB mmap).
 */
export const DEFAULT_CACHE_SIZE_KIB = 8192;

/**
 * Default memory-mapped I/O window: off. Mapped pages count in the process's RSS and grow with the file;
 * reads through the page cache cost about the same here (see the README's figures).
 */
export const DEFAULT_MMAP_SIZE_BYTES = 0;
