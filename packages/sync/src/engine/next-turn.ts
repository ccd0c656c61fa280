/**
 * Resolves on the next turn of the event loop (`setImmediate`), after pending I/O callbacks: by then a request
 * started in this turn has been written to its socket. The engine puts synchronous SQLite work there so that it
 * overlaps the request instead of delaying it.
 */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
