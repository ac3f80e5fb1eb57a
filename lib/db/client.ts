import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client";
import { logger } from "@/lib/log";
import { watchDatabasePools } from "@/lib/metrics";
import { databaseTimeouts } from "./timeouts";
import { currentTransaction, nestedTransaction } from "./transaction";

// One pool per process, shared by the server and Next's bundle through
// globalThis. DB_POOL_MAX=1 on the embedded PGlite (one session shared by
// every socket connection: concurrent connections corrupt transactions).
const g = globalThis as unknown as { keyholdPrisma?: PrismaClient; keyholdPool?: pg.Pool; keyholdAuditPool?: pg.Pool };

/**
 * The connection pool under Prisma. Hot paths with one fixed statement (the
 * audit writer's batch INSERT) use it directly: Prisma compiles every raw
 * query through its query compiler, which costs more than the insert itself.
 */
export function pgPool(): pg.Pool {
  return (g.keyholdPool ??= newPool(Number(process.env.DB_POOL_MAX ?? 10)));
}

/**
 * An idle connection the database drops (restart, outage) is an 'error' on
 * its pool: logged, never an unhandled event that would end the process. The
 * pool replaces the connection on next use.
 */
function newPool(max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max, ...databaseTimeouts() });
  pool.on("error", (e) => logger.warn({ err: e }, "an idle database connection was lost"));
  return pool;
}

/**
 * The audit writer's own connections on PostgreSQL: a group commit must never
 * wait for a connection held by a change transaction that itself waits for
 * the audit chain. The embedded database has one session, so there it is the
 * one pool (and the chain is taken before that session is, see lib/audit).
 */
export function auditPool(): pg.Pool {
  if (isSingleSession()) return pgPool();
  return (g.keyholdAuditPool ??= newPool(2));
}

// /metrics reads whichever pools exist at scrape time (a disconnect replaces them).
watchDatabasePools(() => ({ main: g.keyholdPool, audit: g.keyholdAuditPool }));

function client(): PrismaClient {
  return (g.keyholdPrisma ??= new PrismaClient({
    adapter: new PrismaPg(pgPool()),
  }));
}

/** Closes Prisma and the pool; the next use opens new ones. */
export async function disconnectDatabase(): Promise<void> {
  const { keyholdPrisma, keyholdPool, keyholdAuditPool } = g;
  g.keyholdPrisma = undefined;
  g.keyholdPool = undefined;
  g.keyholdAuditPool = undefined;
  await keyholdPrisma?.$disconnect();
  await keyholdPool?.end();
  await keyholdAuditPool?.end();
}

/**
 * The embedded PGlite is one Postgres session: its pool holds one connection,
 * so a transaction holds the whole database while it is open.
 */
export function isSingleSession(): boolean {
  return Number(process.env.DB_POOL_MAX ?? 10) === 1;
}

/** The client itself, never routed into a call's transaction (see transaction.ts). */
export function directPrisma(): PrismaClient {
  return client();
}

/**
 * Created on first use, not on import: the server and the CLI decide on the
 * database (and set DATABASE_URL) after modules that use it are loaded.
 * Inside a transaction scope (transaction.ts) every query goes into that
 * transaction.
 */
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const tx = currentTransaction();
    if (tx) {
      if (prop === "$transaction") return nestedTransaction(tx);
      const value = Reflect.get(tx, prop, tx);
      return typeof value === "function" ? value.bind(tx) : value;
    }
    const c = client();
    const value = Reflect.get(c, prop, c);
    return typeof value === "function" ? value.bind(c) : value;
  },
});

export * from "./generated/prisma/client";
