// Bounded waits on the database: a frozen or unreachable PostgreSQL must make
// callers fail fast with a retryable error rather than hang them (and /readyz)
// for as long as the outage lasts. Read from the environment here (the CLI
// uses the pool without the server's configuration); lib/config validates the
// same variables at start-up.
import type pg from "pg";

export const DB_TIMEOUT_DEFAULTS = {
  /** Opening a connection or waiting for a free one in the pool. */
  KEYHOLD_DB_CONNECT_TIMEOUT_MS: 5_000,
  /** One statement (server-side statement_timeout; the client gives up a little later). */
  KEYHOLD_DB_STATEMENT_TIMEOUT_MS: 15_000,
} as const;

function envMs(name: keyof typeof DB_TIMEOUT_DEFAULTS): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : DB_TIMEOUT_DEFAULTS[name];
}

/** pg.Pool/pg.Client options that bound every wait on the database. */
export function databaseTimeouts(): Pick<
  pg.PoolConfig,
  "connectionTimeoutMillis" | "statement_timeout" | "query_timeout" | "idle_in_transaction_session_timeout" | "keepAlive" | "keepAliveInitialDelayMillis"
> {
  const statement = envMs("KEYHOLD_DB_STATEMENT_TIMEOUT_MS");
  return {
    connectionTimeoutMillis: envMs("KEYHOLD_DB_CONNECT_TIMEOUT_MS"),
    statement_timeout: statement,
    // The server cancels a long statement itself (a clear error); the client
    // stops waiting shortly after, for a server that cannot answer at all.
    query_timeout: statement + 1_000,
    // A session left inside a transaction (a client that vanished) releases its locks.
    idle_in_transaction_session_timeout: Math.max(statement, 30_000),
    // Half-open connections (a host gone without a FIN) are noticed by the kernel.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}
