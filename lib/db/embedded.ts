// The embedded database: PGlite (Postgres compiled to WASM) in the data
// folder, served by pglite-socket so the app and `prisma migrate deploy` use
// the same pg driver path as a real PostgreSQL. It listens on a Unix socket
// in a folder private to this OS user (lib/db/socket-dir.ts): pglite-socket
// has no authentication, so a TCP port would hand every local user a
// superuser session.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
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
  keepProcessMemorySmall();
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  if (!dir.startsWith("memory://")) mkdirSync(dirname(dir), { recursive: true }); // PGlite creates only the last level
  if (!dir.startsWith("memory://") && !existsSync(join(dir, "PG_VERSION"))) await initdbInChild(dir);
  // PGlite's default of 128 MB shared buffers is resident once touched and is
  // most of its memory; Keyhold's working set (keys, recent audit pages) is far
  // smaller, and the OS page cache still holds the files.
  const db = await PGlite.create(dir, {
    startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${sharedBuffers()}`],
  });
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

/**
 * The embedded database shares the server's process, so the process's memory
 * is kept small (issue 16: ≤ 300 MB resident). Both settings are V8's, read
 * when used, so setting them now still applies; KEYHOLD_EMBEDDED_LOW_MEMORY=off
 * keeps V8's defaults.
 * - V8 compiles PGlite's 9 MB of WebAssembly with its baseline compiler
 *   (Liftoff), then recompiles hot functions with TurboFan on background
 *   threads; that compiler memory (~50 MB at its peak) is freed but stays
 *   resident in glibc's per-thread malloc arenas: ~40 MB of RSS for the
 *   process's life. Baseline code costs PGlite some CPU per query instead.
 *   Read when a module compiles: set before PGlite loads.
 * - Under load the old generation fills with garbage (requests in flight
 *   survive young collections) and V8 lets it grow up to 4× the live heap
 *   before marking: 133 MB of heap for 47 MB live after a minute of load.
 *   Growing by at most 30 % per collection bounds that.
 */
function keepProcessMemorySmall(): void {
  if (process.env.KEYHOLD_EMBEDDED_LOW_MEMORY === "off") return;
  setFlagsFromString("--liftoff-only");
  setFlagsFromString("--heap-growing-percent=30");
}

function sharedBuffers(): string {
  const v = process.env.KEYHOLD_EMBEDDED_SHARED_BUFFERS ?? "16MB";
  if (!/^\d+(kB|MB|GB)$/.test(v)) throw new Error(`KEYHOLD_EMBEDDED_SHARED_BUFFERS must look like 16MB (got ${JSON.stringify(v)})`);
  return v;
}

/** Creates the cluster in a child process, in a scratch folder renamed into place: a crash leaves no half-made cluster. */
async function initdbInChild(dir: string): Promise<void> {
  const script = fileURLToPath(new URL("./embedded-initdb.mjs", import.meta.url));
  const scratch = `${dir}.initdb`;
  rmSync(scratch, { recursive: true, force: true });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [script, scratch], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`creating the embedded database failed (exit ${code}):\n${output.trim()}`)),
    );
  });
  rmSync(dir, { recursive: true, force: true }); // an empty or half-made folder from an older version
  renameSync(scratch, dir);
}
