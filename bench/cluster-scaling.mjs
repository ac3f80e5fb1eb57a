#!/usr/bin/env node
// `node bench/cluster-scaling.mjs` (PostgreSQL: DATABASE_URL): does cluster
// mode scale? Runs the API server with 1 worker and with BENCH_WORKERS (default
// 2) workers, interleaved (1, N, 1, N, …) BENCH_PASSES times (default 3), each
// on a fresh database, replaying one signed Encrypt at concurrency 32 for
// BENCH_SECONDS (default 10). Prints each pass and the medians: throughput,
// server CPU per request (and each process's share: the primary only hands out
// connections), PostgreSQL and load-generator CPU per request, machine busy %.
//
// On a host whose cores are shared with the load generator and PostgreSQL,
// N workers cannot get N cores, so requests/s alone says little. The CPU the
// server spends per request does not depend on how many cores it got: if N
// workers spend as many µs per request as one, N free cores carry N times one
// worker's load. "capacity ratio" = N × (1-worker µs / N-worker µs), the
// throughput ratio N workers would reach on N cores of their own.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { freshDatabase } from "./fresh-database.mjs";
import { freePort, startBenchApiServer, waitFor } from "./server-process.mjs";
import { serverSideSummary } from "./metrics-scrape.mjs";
import { cpuWindow } from "./proc-accounting.mjs";
import { BENCH_CREDENTIALS as CREDS, BENCH_REGION as REGION, signedRequest } from "./signed-request.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PASSES = Number(process.env.BENCH_PASSES ?? 3);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
if (!process.env.DATABASE_URL) {
  console.error("cluster mode needs PostgreSQL: set DATABASE_URL");
  process.exit(2);
}

async function pass(workers) {
  const databaseUrl = await freshDatabase(process.env.DATABASE_URL, "bench_cluster");
  const dataDir = mkdtempSync(join(tmpdir(), "keyhold-bench-cluster-"));
  const port = await freePort();
  const { server, endpoint, log } = startBenchApiServer({ port, dataDir, databaseUrl, env: { KEYHOLD_API_WORKERS: String(workers) } });
  try {
    await waitFor(`${endpoint}/readyz`, server, log);
    const kms = new KMSClient({ endpoint, region: REGION, credentials: CREDS });
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "cluster benchmark" }));
    kms.destroy();
    const encrypt = await signedRequest(endpoint, "Encrypt", { KeyId: KeyMetadata.KeyId, Plaintext: Buffer.alloc(32, 7).toString("base64") });
    const load = (duration) =>
      new Promise((resolve, reject) =>
        autocannon({ url: endpoint, connections: CONCURRENCY, duration, pipelining: 1, ...encrypt }, (e, r) => (e ? reject(e) : resolve(r))),
      );
    await load(2); // warm-up: JIT, key cache, every worker's connections
    // What the server burns with no requests (timers, pools, the primary): charged to every request below.
    const idle = cpuWindow(server.pid);
    await new Promise((r) => setTimeout(r, 3000));
    const idleCpu = idle.end(1);
    // In cluster mode a scrape answers for every worker (lib/metrics/cluster.ts).
    const scrape = () => fetch(`${endpoint}/metrics`).then((res) => res.text());
    const before = await scrape();
    const window = cpuWindow(server.pid);
    const r = await load(SECONDS);
    const cpu = window.end(r["2xx"]);
    const seen = serverSideSummary(before, await scrape());
    if (r.non2xx || r.errors) throw new Error(`${r.non2xx} non-2xx answers, ${r.errors} errors`);
    const [primary, ...children] = cpu.serverProcesses;
    return {
      workers,
      opsPerSec: Math.round(r["2xx"] / SECONDS),
      p99ms: r.latency.p99,
      serverUs: cpu.serverCpuMicrosPerRequest,
      // One worker: the process itself serves. N workers: the primary, then each worker.
      primaryUs: workers > 1 ? primary.cpuMicrosPerRequest : null,
      workerCores: (workers > 1 ? children : [primary]).map((p) => p.cores),
      idleServerCores: idleCpu.serverCores,
      eventsPerCommit: seen.auditBatchMean,
      // A worker that died during the pass (the primary replaces it): its pid joins the list above.
      workersReplaced: (log().match(/API worker exited/g) ?? []).length,
      pids: cpu.serverProcesses.map((p) => p.pid),
      postgresUs: cpu.postgresCpuMicrosPerRequest,
      loadGeneratorUs: cpu.loadGeneratorCpuMicrosPerRequest,
      busy: cpu.machineBusyPercent,
      steal: cpu.machineStealPercent,
    };
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => (server.exitCode !== null ? r() : server.once("exit", r)));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return Math.round(m * 100) / 100;
};
const runs = [];
console.error(`cluster scaling: 1 vs ${WORKERS} workers, ${PASSES} interleaved passes of ${SECONDS}s, replayed Encrypt at concurrency ${CONCURRENCY} …`);
for (let i = 0; i < PASSES; i++) {
  for (const workers of [1, WORKERS]) {
    const r = await pass(workers);
    runs.push(r);
    console.error(JSON.stringify(r));
  }
}
const row = (label, rs) =>
  `| ${label} | ${median(rs.map((r) => r.opsPerSec))} | ${median(rs.map((r) => r.serverUs))} | ${rs[0].workers > 1 ? median(rs.map((r) => r.primaryUs)) : "-"} | ${median(rs.map((r) => r.workerCores.reduce((a, b) => a + b, 0)))} | ${median(rs.map((r) => r.idleServerCores))} | ${median(rs.map((r) => r.eventsPerCommit))} | ${median(rs.map((r) => r.postgresUs))} | ${median(rs.map((r) => r.loadGeneratorUs))} | ${median(rs.map((r) => r.p99ms))} | ${median(rs.map((r) => r.busy))} | ${median(rs.map((r) => r.steal))} |`;
const one = runs.filter((r) => r.workers === 1);
const many = runs.filter((r) => r.workers === WORKERS);
console.log(`\nReplayed Encrypt, medians of ${PASSES} interleaved passes (server µs = whole process tree; primary µs = its share):`);
console.log("| workers | ops/s | server µs/request | primary µs/request | server cores | server cores idle | audit events per commit | PostgreSQL µs | load generator µs | p99 ms | machine busy % | steal % |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
console.log(row("1", one));
console.log(row(String(WORKERS), many));
const throughputRatio = median(many.map((r) => r.opsPerSec)) / median(one.map((r) => r.opsPerSec));
const capacityRatio = (WORKERS * median(one.map((r) => r.serverUs))) / median(many.map((r) => r.serverUs));
console.log(`\n${WORKERS} workers vs 1: throughput × ${throughputRatio.toFixed(2)} on this host; capacity ratio (N × 1-worker µs / N-worker µs, i.e. on ${WORKERS} cores of their own) × ${capacityRatio.toFixed(2)} (target ≥ ${(0.8 * WORKERS).toFixed(1)})`);
console.log("\n" + JSON.stringify({ seconds: SECONDS, passes: PASSES, concurrency: CONCURRENCY, runs, throughputRatio, capacityRatio }));
