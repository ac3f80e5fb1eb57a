// Recognises "the database is away or too slow" among the errors the pg
// driver and Prisma throw, so callers get AWS's retryable
// DependencyTimeoutException instead of an internal error. Matched by code and
// message only: the errors come from several bundled copies of the clients.

/** pg / Node socket codes and PostgreSQL SQLSTATEs that mean "unavailable now, retry". */
const CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EPIPE", "EHOSTUNREACH", "ENETUNREACH",
  "57014", // query_canceled (statement_timeout)
  "57P01", "57P02", "57P03", // admin shutdown, crash shutdown, cannot connect now
  "08000", "08001", "08003", "08004", "08006", // connection exceptions
  "25P03", // idle_in_transaction_session_timeout
  "53300", // too many connections
  // Prisma: cannot reach, timed out, operations timed out, connection closed, pool timeout, transaction expired
  "P1001", "P1002", "P1008", "P1017", "P2024", "P2028",
]);

/** Driver-adapter error kinds (@prisma/adapter-pg) with the same meaning. */
const KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);

/** Messages of pg and pg-pool's own timeouts and lost connections (they carry no code). */
const MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|Query read timeout|connection timeout|Connection closed|Client has encountered a connection error|statement timeout/i;

export function isDependencyFailure(e: unknown, depth = 0): boolean {
  if (typeof e !== "object" || e === null || depth > 5) return false;
  const o = e as { code?: unknown; originalCode?: unknown; kind?: unknown; message?: unknown; cause?: unknown; meta?: unknown };
  if (typeof o.code === "string" && CODES.has(o.code)) return true;
  if (typeof o.originalCode === "string" && CODES.has(o.originalCode)) return true;
  if (typeof o.kind === "string" && KINDS.has(o.kind)) return true;
  if (typeof o.message === "string" && MESSAGES.test(o.message)) return true;
  if (o.meta && typeof o.meta === "object") {
    for (const v of Object.values(o.meta)) if (isDependencyFailure(v, depth + 1)) return true;
  }
  return isDependencyFailure(o.cause, depth + 1);
}
