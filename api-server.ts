// The API alone (`npm run start:api`): the AWS-KMS data plane on
// KEYHOLD_API_PORT without loading Next.js, to scale it separately. With
// KEYHOLD_API_WORKERS > 1 (PostgreSQL only) it forks that many workers.
import cluster from "node:cluster";
import { configureAndBoot } from "./lib/runtime/start";

const worker = cluster.isWorker && process.env.KEYHOLD_API_WORKER === "1";
const { cfg, booted } = await configureAndBoot(worker ? "Keyhold API worker" : "Keyhold API", { worker });
const { logger } = await import("./lib/log");

if (!worker && cfg.apiWorkers > 1 && booted.database.kind === "postgresql") {
  const { runApiPrimary } = await import("./lib/runtime/api-cluster");
  runApiPrimary(cfg, booted);
} else {
  if (!worker && cfg.apiWorkers > 1) {
    // The embedded database lives inside this process: its workers could not share it.
    logger.warn({ workers: cfg.apiWorkers }, "KEYHOLD_API_WORKERS needs PostgreSQL (DATABASE_URL); serving from this one process");
  }
  const { createKeyholdServer, listen } = await import("./lib/runtime/http");
  if (worker) (await import("./lib/metrics/cluster")).serveAggregatedMetrics();
  const { server, shutdown } = createKeyholdServer((_req, res) => {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ message: "This is Keyhold's API server: send AWS KMS requests (X-Amz-Target) to POST /." }));
  });
  const port = await listen(server, cfg.apiPort, cfg.host);
  if (!worker) {
    logger.info({ port, database: booted.database.describe }, "keyhold API ready");
    console.log(`\n  Keyhold KMS API listening on http://${cfg.host}:${port} (region ${cfg.region})\n`);
  }
  const stop = (signal: string) => void shutdown(signal, () => booted.close());
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  // A worker whose primary is gone (even by kill -9) finishes its calls and leaves.
  if (worker) process.on("disconnect", () => stop("primary exited"));
}
