// Connects the process to its database: PostgreSQL from DATABASE_URL, or the
// embedded PGlite in the data folder. Sets DATABASE_URL/DB_POOL_MAX/
// KEYHOLD_DB_KIND before lib/db/client is first used, then migrates.
import { join } from "node:path";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";

export interface DatabaseHandle {
  kind: "embedded" | "postgresql";
  describe: string;
  stop(): Promise<void>;
}

export async function connectDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  migrate: boolean;
}): Promise<DatabaseHandle> {
  let handle: DatabaseHandle;
  if (options.databaseUrl) {
    process.env.DATABASE_URL = options.databaseUrl;
    process.env.KEYHOLD_DB_KIND = "postgresql";
    const u = new URL(options.databaseUrl);
    const host = u.searchParams.get("host") || u.hostname; // ?host=/folder: a Unix socket
    handle = { kind: "postgresql", describe: `PostgreSQL ${host}:${u.port || 5432}${u.pathname}`, stop: async () => {} };
  } else {
    const dir = join(options.dataDir, "pglite");
    const embedded = await startEmbeddedDatabase(dir, { socketDir: join(options.dataDir, "pg-socket") });
    process.env.DATABASE_URL = embedded.url;
    process.env.DB_POOL_MAX = "1";
    process.env.KEYHOLD_DB_KIND = "embedded";
    handle = { kind: "embedded", describe: `embedded PGlite in ${dir}`, stop: embedded.stop };
  }
  if (options.migrate) {
    try {
      await runMigrations(process.env.DATABASE_URL);
    } catch (e) {
      await handle.stop();
      throw e;
    }
  }
  return handle;
}
