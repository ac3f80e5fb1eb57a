import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client";
import { databaseTimeouts } from "./timeouts";

// One pool per process, shared by the server and Next's bundle through
// globalThis. DB_POOL_MAX=1 on the embedded PGlite (one session shared by
// every socket connection: concurrent connections corrupt transactions).
const g = globalThis as unknown as { keyholdPrisma?: PrismaClient; keyholdPool?: pg.Pool };

/**
 * The connection pool under Prisma. Hot paths with one fixed statement (the
 * audit writer's batch INSERT) use it directly: Prisma compiles every raw
 * query through its query compiler, which costs more than the insert itself.
 */
export function pgPool(): pg.Pool {
  return (g.keyholdPool ??= new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DB_POOL_MAX ?? 10),
    ...databaseTimeouts(),
  }));
}

function client(): PrismaClient {
  return (g.keyholdPrisma ??= new PrismaClient({
    adapter: new PrismaPg(pgPool()),
  }));
}

/** Closes Prisma and the pool; the next use opens new ones. */
export async function disconnectDatabase(): Promise<void> {
  const { keyholdPrisma, keyholdPool } = g;
  g.keyholdPrisma = undefined;
  g.keyholdPool = undefined;
  await keyholdPrisma?.$disconnect();
  await keyholdPool?.end();
}

/**
 * Created on first use, not on import: the server and the CLI decide on the
 * database (and set DATABASE_URL) after modules that use it are loaded.
 */
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const c = client();
    const value = Reflect.get(c, prop, c);
    return typeof value === "function" ? value.bind(c) : value;
  },
});

export * from "./generated/prisma/client";
