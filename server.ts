// Keyhold's single entry point (`npm start`): validates the configuration,
// opens the database (embedded PGlite when DATABASE_URL is unset), applies
// migrations, creates the first administrator, opens the admin socket for the
// CLI, and serves /healthz, /readyz and the console (Next.js) on one port.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import next from "next";
import { ConfigError, parseConfig } from "./lib/config";

process.env.NEXT_TELEMETRY_DISABLED ??= "1";
const t0 = performance.now();

let cfg;
try {
  cfg = parseConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}

const { logger } = await import("./lib/log");
const { prepareDataDir, readOrCreateSecret } = await import("./lib/runtime/data-dir");
const { connectDatabase } = await import("./lib/runtime/database");

prepareDataDir(cfg.dataDir);
process.env.NEXTAUTH_URL ??= `http://localhost:${cfg.port}`;
process.env.NEXTAUTH_SECRET ??= readOrCreateSecret(cfg.dataDir, "nextauth-secret");

let database;
try {
  database = await connectDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, migrate: true });
} catch (e) {
  logger.fatal({ err: e }, "cannot open the database");
  console.error(`Cannot open the database: ${e instanceof Error ? e.message.split("\n")[0] : e}`);
  process.exit(1);
}

const { prisma } = await import("./lib/db/client");
const { databaseStatus } = await import("./lib/db/status");
const { accountId } = await import("./lib/settings/account");
const { ensureFirstAdministrator } = await import("./lib/access/bootstrap");
const { startAdminSocket } = await import("./lib/operator/admin-socket");
const { VERSION } = await import("./lib/version");

const account = await accountId();
const bootstrap = await ensureFirstAdministrator(cfg.adminUser, cfg.adminPassword);
const adminSocket = await startAdminSocket(cfg.dataDir);

const dev = process.env.NODE_ENV === "development";
const app = next({ dev, hostname: cfg.host, port: cfg.port });
const handle = app.getRequestHandler();
await app.prepare();

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

const REQUEST_ID = /^[A-Za-z0-9-]{8,64}$/;

async function onRequest(req: IncomingMessage, res: ServerResponse) {
  const incoming = req.headers["x-request-id"];
  const requestId = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader("x-request-id", requestId);
  // The console learns the caller's address from here only, never from a client-supplied header.
  req.headers["x-keyhold-client-ip"] = req.socket.remoteAddress ?? "";
  req.headers["x-request-id"] = requestId;
  const started = performance.now();
  const path = (req.url ?? "/").split("?")[0];
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
  return handle(req, res);
}

const server = createServer((req, res) => {
  onRequest(req, res).catch((e) => {
    logger.error({ err: e }, "request failed");
    if (!res.headersSent) sendJson(res, 500, { message: "Internal error" });
    else res.destroy();
  });
});
server.keepAliveTimeout = 65_000;

await new Promise<void>((resolve, reject) => {
  server.once("error", reject);
  server.listen(cfg.port, cfg.host, () => resolve());
});

const address = server.address();
const boundPort = typeof address === "object" && address ? address.port : cfg.port;
const url = process.env.NEXTAUTH_URL ?? `http://localhost:${boundPort}`;
logger.info(
  { version: VERSION, port: boundPort, database: database.describe, account, ms: Math.round(performance.now() - t0) },
  "keyhold ready",
);
// The banner goes to stdout once, for the person who ran `npm start`.
const lines = [
  "",
  `  Keyhold ${VERSION} is running at ${url}`,
  `  Database: ${database.describe}   Account: ${account}   Region: ${cfg.region}`,
];
if (bootstrap.created && bootstrap.generatedPassword) {
  lines.push(
    `  First administrator created. Sign in as "${bootstrap.username}" with the one-time password:`,
    `      ${bootstrap.generatedPassword}`,
    `  You will be asked to choose a new password. This password is not shown again.`,
  );
} else if (bootstrap.created) {
  lines.push(`  First administrator "${bootstrap.username}" created with the password from KEYHOLD_ADMIN_PASSWORD.`);
} else {
  lines.push(`  Sign in with your Keyhold user. Operators: npx keyhold user reset-password --username NAME`);
}
console.log(lines.join("\n") + "\n");

let shuttingDown = false;
async function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, "shutting down: no new connections, finishing in-flight requests");
  const force = setTimeout(() => server.closeAllConnections(), 10_000);
  force.unref();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  await adminSocket?.close();
  await prisma.$disconnect().catch(() => {});
  await database!.stop().catch(() => {});
  logger.info("stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
