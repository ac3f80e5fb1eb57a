import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";

// One pool per process. DB_POOL_MAX=1 on the embedded PGlite (one session
// shared by every socket connection: concurrent connections corrupt
// transactions); the server sets it.
const globalForPrisma = globalThis as unknown as { keyholdPrisma?: PrismaClient };

function createClient(): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg({
      connectionString: process.env.DATABASE_URL,
      max: Number(process.env.DB_POOL_MAX ?? 10),
    }),
  });
}

export const prisma: PrismaClient = (globalForPrisma.keyholdPrisma ??= createClient());

export type { PrismaClient };
export * from "./generated/prisma/client";
