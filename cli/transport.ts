// How the CLI reaches Keyhold: through the running server's admin socket when
// there is one (the embedded database takes a single connection), otherwise
// straight to the database (PostgreSQL, or the embedded one opened here)
// while holding the data folder's lock, so no server starts on it meanwhile.
import { existsSync } from "node:fs";
import { request } from "node:http";
import { ADMIN_SOCKET, adminSocketPath } from "@/lib/operator/admin-socket";
import { unixSocketAddress } from "@/lib/operator/unix-socket-address";
import { DataDirLockedError, lockDataDir } from "@/lib/runtime/data-dir-lock";

export type CommandReply = { ok: true; result: unknown } | { ok: false; error: { name: string; message: string } };

function viaSocket(path: string, command: string, input: Record<string, unknown>): Promise<CommandReply> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ command, input });
    const req = request(
      { socketPath: path, path: "/", method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (data += c));
        res.on("end", () => {
          try {
            resolve(JSON.parse(data));
          } catch (e) {
            reject(e);
          }
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function direct(command: string, input: Record<string, unknown>, dataDir: string, databaseUrl?: string): Promise<CommandReply> {
  const { connectDatabase } = await import("@/lib/runtime/database");
  const db = await connectDatabase({ databaseUrl, dataDir, migrate: true });
  const { disconnectDatabase } = await import("@/lib/db/client");
  const { isKmsError } = await import("@/lib/errors");
  const { runOperatorCommand } = await import("@/lib/operator/commands");
  const { closeAudit } = await import("@/lib/audit");
  const { logger } = await import("@/lib/log");
  try {
    return { ok: true, result: await runOperatorCommand(command, input) };
  } catch (e) {
    if (isKmsError(e)) return { ok: false, error: { name: e.name, message: e.message } };
    throw e;
  } finally {
    // The command was recorded on this process's own chain (audit.verify
    // too); sign its digest before exiting, as the server does on shutdown,
    // so the event is covered by a signature and not only by its hash.
    await closeAudit().catch((e) => logger.error({ err: e }, "final audit digest failed"));
    await disconnectDatabase();
    await db.stop();
  }
}

/** Sends over the admin socket; null when no server listens on it. */
async function viaServer(dataDir: string, command: string, input: Record<string, unknown>): Promise<CommandReply | null> {
  if (!existsSync(adminSocketPath(dataDir))) return null;
  const address = unixSocketAddress(dataDir, ADMIN_SOCKET);
  if (!address) return null; // too long a path off Linux: the server has no socket either
  try {
    return await viaSocket(address.path, command, input);
  } catch (e) {
    // A socket file with nobody listening is left by a crash.
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ECONNREFUSED" || code === "ENOENT") return null;
    throw e;
  } finally {
    address.close();
  }
}

/** Whether a server answers on the data folder's admin socket. */
async function serverListening(dataDir: string): Promise<boolean> {
  return (await viaServer(dataDir, "status", {})) !== null;
}

export async function send(
  command: string,
  input: Record<string, unknown>,
  options: { dataDir: string; databaseUrl?: string; serverStopped?: boolean; serverRunning?: boolean },
): Promise<{ reply: CommandReply; via: "server" | "database" }> {
  if (options.serverStopped && (await serverListening(options.dataDir))) {
    throw new Error(`a Keyhold server is running on the data folder ${options.dataDir}: stop it first`);
  }
  const fromServer = options.serverStopped ? null : await viaServer(options.dataDir, command, input);
  if (fromServer) return { reply: fromServer, via: "server" };
  // Unseal and seal act on a running server's memory: a throwaway process would do nothing useful.
  if (options.serverRunning) throw new Error(`no Keyhold server answers on the data folder ${options.dataDir}: start it first`);
  const { prepareDataDir } = await import("@/lib/runtime/data-dir");
  prepareDataDir(options.dataDir);
  let lock;
  try {
    lock = lockDataDir(options.dataDir, "cli");
  } catch (e) {
    if (!(e instanceof DataDirLockedError)) throw e;
    // Never open the database beside its holder: that loses acknowledged writes.
    const who = e.holder.kind === "cli" ? "another keyhold CLI command" : "a Keyhold server";
    const why = e.holder.kind === "cli" ? "try again when it is done" : "it is starting, or its admin socket is unreachable";
    throw new Error(`the data folder ${options.dataDir} is held by ${who} (pid ${e.holder.pid}): ${why}`);
  }
  try {
    return { reply: await direct(command, input, options.dataDir, options.databaseUrl), via: "database" };
  } finally {
    lock.release();
  }
}
