// The embedded database: PGlite (Postgres compiled to WASM) in the data
// folder, served by pglite-socket so the app and `prisma migrate deploy` use
// the same pg driver path as a real PostgreSQL. It listens on a Unix socket
// in a folder private to this OS user (lib/db/socket-dir.ts): pglite-socket
// has no authentication, so a TCP port would hand every local user a
// superuser session.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { privateSocketDir, socketUrl } from "./socket-dir";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * `dir`: the PGlite folder, or "memory://". `socketDir`: where to put the
 * socket (inside the data folder); omitted, or too long for a socket path, a
 * private temp folder is used.
 */
export async function startEmbeddedDatabase(dir: string, options: { socketDir?: string } = {}): Promise<EmbeddedDatabase> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  if (!dir.startsWith("memory://")) mkdirSync(dirname(dir), { recursive: true }); // PGlite creates only the last level
  const db = await PGlite.create(dir);
  const socket = privateSocketDir(options.socketDir);
  // PGlite is ONE Postgres session: the socket server multiplexes connections
  // onto it message by message, so two concurrently active connections
  // interleave (lost writes, "portal does not exist"). Callers therefore use a
  // pool of max 1 (DB_POOL_MAX=1). The socket still admits a second
  // connection: pg-pool discards a client after a query error and connects
  // anew before the server has seen the old socket close, and with a limit of
  // 1 that replacement is refused ("Connection terminated unexpectedly").
  const server = new PGLiteSocketServer({
    db,
    path: socket.path,
    maxConnections: 2,
    debug: !!process.env.PGLITE_DEBUG,
  });
  try {
    await server.start();
  } catch (e) {
    socket.remove();
    await db.close();
    throw e;
  }
  return {
    url: socketUrl(socket.dir),
    async stop() {
      await server.stop();
      await db.close();
      socket.remove();
    },
  };
}
