// The node:http server both entry points run: request IDs, access logs,
// /healthz and /readyz, the KMS API for X-Amz-Target requests, and whatever
// else the caller routes (Next.js for the full server). Graceful shutdown.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { handleApiRequest, isApiRequest } from "@/lib/api/handler";
import { config } from "@/lib/config";
import { databaseStatus } from "@/lib/db/status";
import { custodyStatusUnaudited } from "@/lib/kms/root-key-custody";
import { logger } from "@/lib/log";
import { serveMetrics } from "@/lib/metrics/endpoint";

type Fallback = (req: IncomingMessage, res: ServerResponse) => unknown;

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

const REQUEST_ID = /^[A-Za-z0-9-]{8,64}$/;

/** Whether this connection is TLS (aws:SecureTransport). A proxy's own headers are not trusted. */
const isSecure = (req: IncomingMessage) => (req.socket as { encrypted?: boolean }).encrypted === true;

/** How long /readyz waits for the database before answering 503. */
const READY_PROBE_TIMEOUT_MS = 1_500;

export function createKeyholdServer(fallback: Fallback): { server: Server; shutdown(signal: string, after: () => Promise<void>): Promise<void> } {
  const { requestTimeoutSeconds, shutdownTimeoutSeconds, metrics } = config();
  let shuttingDown = false;
  // Answers not yet sent: told to close their connection when shutdown begins.
  const pending = new Set<ServerResponse>();

  async function onRequest(req: IncomingMessage, res: ServerResponse) {
    if (shuttingDown) res.setHeader("connection", "close"); // a request on a connection opened before shutdown
    else {
      pending.add(res);
      res.once("close", () => pending.delete(res));
    }
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
    if (path === "/metrics" && metrics.enabled) return serveMetrics(req, res, metrics.token);
    if (path === "/readyz") {
      const status = await databaseStatus({ timeoutMs: READY_PROBE_TIMEOUT_MS });
      const { kind, sealed, entered, threshold } = await custodyStatusUnaudited();
      const rootKey = { kind, sealed, ...(sealed ? { entered, threshold } : {}) };
      const ready = status.reachable && status.migrations.pending.length === 0 && !shuttingDown && !sealed;
      return sendJson(res, ready ? 200 : 503, { status: ready ? "ready" : sealed ? "sealed" : "not ready", database: status, rootKey });
    }
    return fallback(req, res);
  }

  const requestTimeout = requestTimeoutSeconds * 1000;
  const server = createServer(
    {
      // A client that trickles its headers or body is cut off (Node's default is 5 minutes).
      requestTimeout,
      headersTimeout: requestTimeout,
      // Node checks those timeouts this often (default 30 s, longer than a short timeout).
      connectionsCheckingInterval: Math.min(30_000, Math.max(250, requestTimeout / 4)),
      // Longer than the 60 s idle timeout of common load balancers, so they close first.
      keepAliveTimeout: 65_000,
    },
    (req, res) => {
      onRequest(req, res).catch((e) => {
        logger.error({ err: e }, "request failed");
        if (!res.headersSent) sendJson(res, 500, { message: "Internal error" });
        else res.destroy();
      });
    },
  );

  /**
   * Stops accepting connections, closes idle keep-alive ones, lets in-flight
   * calls finish (their answers say `Connection: close`), then runs `after`
   * (audit flush and digest, database) and exits 0. Calls still running after
   * KEYHOLD_SHUTDOWN_TIMEOUT_SECONDS are cut off.
   */
  async function shutdown(signal: string, after: () => Promise<void>) {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal, inFlight: pending.size }, "shutting down: no new connections, finishing in-flight requests");
    for (const res of pending) if (!res.headersSent) res.setHeader("connection", "close");
    const grace = shutdownTimeoutSeconds * 1000;
    const force = setTimeout(() => {
      logger.warn({ inFlight: pending.size }, "shutdown timeout: closing the remaining connections");
      server.closeAllConnections();
    }, grace);
    force.unref();
    // Whatever `after` waits on (a database that does not answer), the process ends.
    setTimeout(() => {
      logger.error("shutdown did not finish in time; exiting");
      process.exit(1);
    }, grace + 30_000).unref();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(force);
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
