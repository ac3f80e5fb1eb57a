// The embedded database: PGlite (Postgres compiled to WASM) in the data
// folder, served on a loopback port by pglite-socket so the app and
// `prisma migrate deploy` use the same pg driver path as a real PostgreSQL.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedDatabase(dir: string): Promise<EmbeddedDatabase> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  if (!dir.startsWith("memory://")) mkdirSync(dirname(dir), { recursive: true }); // PGlite creates only the last level
  const db = await PGlite.create(dir);
  // PGlite is ONE Postgres session: the socket server multiplexes connections
  // onto it message by message, so two concurrently active connections
  // interleave (lost writes, "portal does not exist"). Callers therefore use a
  // pool of max 1 (DB_POOL_MAX=1). The socket still admits a second
  // connection: pg-pool discards a client after a query error and connects
  // anew before the server has seen the old socket close, and with a limit of
  // 1 that replacement is refused ("Connection terminated unexpectedly").
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: 0,
    maxConnections: 2,
    debug: !!process.env.PGLITE_DEBUG,
  });
  await server.start();
  return {
    url: `postgresql://postgres:postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
