// Kept apart from the client: the log is loaded at activation, and the client (with zod) is not (test/unit/activation).

/** Failures the client reports for the server's or the caller's part, by the names of its error classes. */
const EXPECTED_FAILURES = new Set(['MindSphereError', 'InputError', 'ConnectionError']);

/**
 * An error as a log line's detail: a MindSphere, network or input failure by its message (what the server said, with
 * status, code and logref: the client's stack trace adds nothing there), anything else, a bug, with its stack.
 */
export function logDetail(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return EXPECTED_FAILURES.has(error.name) ? error.message : error.stack ?? error.message;
}
