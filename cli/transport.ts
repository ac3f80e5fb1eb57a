// How the CLI reaches Keyhold: through the running server's admin socket when
// there is one (the embedded database takes a single connection), otherwise
// straight to the database (PostgreSQL, or the embedded one opened here).
import { existsSync } from "node:fs";
import { request } from "node:http";
import { adminSocketPath } from "@/lib/operator/admin-socket";

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
  const { prepareDataDir } = await import("@/lib/runtime/data-dir");
  const { connectDatabase } = await import("@/lib/runtime/database");
  prepareDataDir(dataDir);
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

export async function send(
  command: string,
  input: Record<string, unknown>,
  options: { dataDir: string; databaseUrl?: string },
): Promise<{ reply: CommandReply; via: "server" | "database" }> {
  const socket = adminSocketPath(options.dataDir);
  if (existsSync(socket)) {
    try {
      return { reply: await viaSocket(socket, command, input), via: "server" };
    } catch (e) {
      // A socket file with nobody listening is left by a crash: fall through.
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ECONNREFUSED" && code !== "ENOENT") throw e;
    }
  }
  return { reply: await direct(command, input, options.dataDir, options.databaseUrl), via: "database" };
}
