// The node:http server both entry points run: request IDs, access logs,
// /healthz and /readyz, the KMS API for X-Amz-Target requests, and whatever
// else the caller routes (Next.js for the full server). Graceful shutdown.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { handleApiRequest, isApiRequest } from "@/lib/api/handler";
import { databaseStatus } from "@/lib/db/status";
import { logger } from "@/lib/log";

type Fallback = (req: IncomingMessage, res: ServerResponse) => unknown;

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

const REQUEST_ID = /^[A-Za-z0-9-]{8,64}$/;

/** Whether this connection is TLS (aws:SecureTransport). A proxy's own headers are not trusted. */
const isSecure = (req: IncomingMessage) => (req.socket as { encrypted?: boolean }).encrypted === true;

export function createKeyholdServer(fallback: Fallback): { server: Server; shutdown(signal: string, after: () => Promise<void>): Promise<void> } {
  let shuttingDown = false;

  async function onRequest(req: IncomingMessage, res: ServerResponse) {
    if (isApiRequest(req)) return handleApiRequest(req, res); // the data plane logs its own way, off the hot path
    const incoming = req.headers["x-request-id"];
    const requestId = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader("x-request-id", requestId);
    // The console learns the caller's address from here only, never from a client-supplied header.
    req.headers["x-keyhold-client-ip"] = req.socket.remoteAddress ?? "";
    req.headers["x-keyhold-secure-transport"] = String(isSecure(req));
    req.headers["x-request-id"] = requestId;
    const started = performance.now();
    const path = (req.url ?? "/").split("?")[0]!;
    res.on("finish", () => {
      if (path.startsWith("/_next/static")) return;
      logger.info(
        { reqId: requestId, method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) },
        "request",
      );
    });
    if (path === "/healthz") return sendJson(res, 200, { status: "ok", uptime: Math.round(process.uptime()) });
    if (path === "/readyz") {
      const status = await databaseStatus();
      const ready = status.reachable && status.migrations.pending.length === 0 && !shuttingDown;
      return sendJson(res, ready ? 200 : 503, { status: ready ? "ready" : "not ready", database: status });
    }
    return fallback(req, res);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((e) => {
      logger.error({ err: e }, "request failed");
      if (!res.headersSent) sendJson(res, 500, { message: "Internal error" });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;

  async function shutdown(signal: string, after: () => Promise<void>) {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, "shutting down: no new connections, finishing in-flight requests");
    const force = setTimeout(() => server.closeAllConnections(), 10_000);
    force.unref();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await after();
    logger.info("stopped");
    process.exit(0);
  }
  return { server, shutdown };
}

export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const a = server.address();
      resolve(typeof a === "object" && a ? a.port : port);
    });
  });
}
