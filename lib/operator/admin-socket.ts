// The admin socket: a Unix socket in the data folder (mode 0600 inside a
// 0700 folder) through which the `keyhold` CLI reaches a running server. It
// exists because the embedded database takes a single connection; file
// permissions decide who is the operator, as for the data folder itself.
import { chmodSync, existsSync, unlinkSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { isKmsError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { runOperatorCommand } from "./commands";
import { unixSocketAddress } from "./unix-socket-address";

export const ADMIN_SOCKET = "admin.sock";
export const adminSocketPath = (dataDir: string) => join(dataDir, ADMIN_SOCKET);
const MAX_BODY = 64 * 1024;

export async function startAdminSocket(dataDir: string): Promise<{ path: string; close(): Promise<void> } | null> {
  const path = adminSocketPath(dataDir);
  const address = unixSocketAddress(dataDir, ADMIN_SOCKET);
  if (!address) {
    logger.warn({ path }, "data folder path too long for a Unix socket; the keyhold CLI will not reach this server");
    return null;
  }
  if (existsSync(path)) unlinkSync(path); // left by a crash; we hold the data folder now
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on("end", async () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      try {
        const { command, input } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
          command: string;
          input: Record<string, unknown>;
        };
        logger.info({ event: "operator-command", command }, "operator command");
        reply(200, { ok: true, result: await runOperatorCommand(command, input ?? {}) });
      } catch (e) {
        if (isKmsError(e)) reply(200, { ok: false, error: { name: e.name, message: e.message } });
        else {
          logger.error({ err: e }, "operator command failed");
          reply(200, { ok: false, error: { name: "KMSInternalException", message: "Internal error; see the server log" } });
        }
      }
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(address.path, () => resolve());
    });
  } catch (e) {
    address.close();
    throw e;
  }
  chmodSync(path, 0o600);
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          address.close(); // only now: closing the server unlinks the socket through its address
          resolve();
        });
        server.closeAllConnections();
        try {
          unlinkSync(path);
        } catch {
          /* already gone */
        }
      }),
  };
}
