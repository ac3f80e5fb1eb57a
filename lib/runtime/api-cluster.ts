// Cluster mode of the API-only server (KEYHOLD_API_WORKERS > 1, PostgreSQL):
// one Node.js process runs JavaScript on one core, so the primary boots
// (migrations, first administrator, bootstrap access key, admin socket) and
// forks that many workers sharing the port. Each worker writes its own audit
// chain (the verifier checks every chain) and hears key changes by NOTIFY, so
// workers behave as separate instances behind one address.
import cluster, { type Worker } from "node:cluster";
import type { Config } from "@/lib/config";
import { logger } from "@/lib/log";
import { aggregateWorkerMetrics } from "@/lib/metrics/cluster";
import type { Booted } from "./boot";

export function runApiPrimary(cfg: Config, booted: Booted): void {
  let stopping = false;
  aggregateWorkerMetrics(); // a worker's /metrics answers for all workers
  const fork = () => cluster.fork({ KEYHOLD_API_WORKER: "1" });
  let listening = 0;
  cluster.on("listening", (_worker: Worker, address) => {
    listening++;
    if (listening === cfg.apiWorkers) {
      logger.info({ port: address.port, workers: cfg.apiWorkers, database: booted.database.describe }, "keyhold API ready");
      console.log(`\n  Keyhold KMS API listening on http://${cfg.host}:${address.port} (region ${cfg.region}, ${cfg.apiWorkers} workers)\n`);
    }
  });
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    // A worker that dies is replaced; its answered calls are already in its chain.
    logger.error({ pid: worker.process.pid, code, signal }, "API worker exited; starting another");
    fork();
  });
  for (let i = 0; i < cfg.apiWorkers; i++) fork();

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down the API workers");
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    // Each worker bounds its own shutdown; one that still hangs is killed.
    const kill = setTimeout(() => workers.forEach((w) => w.process.kill("SIGKILL")), (cfg.shutdownTimeoutSeconds + 35) * 1000);
    kill.unref();
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            w.once("exit", () => resolve());
            w.process.kill("SIGTERM"); // each finishes its in-flight calls and signs its chain's digest
          }),
      ),
    );
    await booted.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
