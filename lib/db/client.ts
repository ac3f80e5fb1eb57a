import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";

// One pool per process, shared by the server and Next's bundle through
// globalThis. DB_POOL_MAX=1 on the embedded PGlite (one session shared by
// every socket connection: concurrent connections corrupt transactions).
const globalForPrisma = globalThis as unknown as { keyholdPrisma?: PrismaClient };

function client(): PrismaClient {
  return (globalForPrisma.keyholdPrisma ??= new PrismaClient({
    adapter: new PrismaPg({
      connectionString: process.env.DATABASE_URL,
      max: Number(process.env.DB_POOL_MAX ?? 10),
    }),
  }));
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
