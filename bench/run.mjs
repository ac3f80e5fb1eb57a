#!/usr/bin/env node
// `npm run bench`: server capacity and client-observed throughput of the KMS
// API, against a ceiling measured with the same load generator.
//
//  1. ceiling: a bare node:http server answering a fixed body
//  2. Keyhold (API server, real SigV4 checks, authorization, durable audit)
//     Encrypt / Decrypt / GenerateDataKey by replaying ONE signed request at
//     concurrency 32 (SigV4 allows replay within the skew window); each
//     replayed run, and the ceiling, after BENCH_WARMUP_SECONDS (5) of the
//     same load outside its measurement window
//  3. the same operations through @aws-sdk/client-kms (what an app sees;
//     on 2 cores the SDK itself costs ~290 µs CPU per call)
//
//     and Encrypt on an HSM-backed key (a custom key store on SoftHSM2, when
//     installed): AES-GCM inside the token through PKCS#11
//
//  4. what durable audit costs: Encrypt through the key service in one
//     process with and without the audit trail (bench/audit-cost.ts)
//
// Uses DATABASE_URL when set (PostgreSQL), else the embedded database.
// BENCH_API_WORKERS=N runs the API server in cluster mode (PostgreSQL only;
// bench/cluster-scaling.mjs compares 1 and N workers). The embedded database's
// memory after a 1-minute load alone: bench/embedded-memory.mjs.
// BENCH_PROFILE=1 also records a CPU profile of the server during the
// replayed Encrypt run and prints where its time went (bench/profile-summary.mjs).
// Next to the load generator's figures it prints the server's own, from its
// /metrics scraped before and after each Keyhold run (bench/metrics-scrape.mjs).
// Prints tables and JSON. Never part of `npm test`.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { CreateKeyCommand, DecryptCommand, EncryptCommand, GenerateDataKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { serverSideSummary } from "./metrics-scrape.mjs";
import { freshDatabase } from "./fresh-database.mjs";
import { freePort, startBenchApiServer, waitFor } from "./server-process.mjs";
import { summarizeProfile } from "./profile-summary.mjs";
import { cpuWindow, residentMemory } from "./proc-accounting.mjs";
import { BENCH_CREDENTIALS as CREDS, BENCH_REGION as REGION, signedRequest as signed } from "./signed-request.mjs";
import { benchHsmKey, benchSoftHsm } from "./softhsm.mjs";

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const PROFILE = process.env.BENCH_PROFILE === "1";
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

/** Unmeasured load before each run: the first seconds after start are the JIT's, not the steady state's. */
// 5 s: on Node 24 the first replayed run was still 10 % dearer after 2 s (V8's optimising tiers take longer there).
const WARM_UP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);

function load(opts, duration) {
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONCURRENCY, duration, pipelining: 1, ...opts }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

const run = (opts) => load(opts, DURATION);
/** Called before a run's measurement window opens (CPU, /metrics): its requests count nowhere. */
const warmUp = async (opts) => {
  if (WARM_UP_SECONDS > 0) await load(opts, WARM_UP_SECONDS);
};

function summarize(name, r) {
  const ok = r["2xx"];
  return {
    name,
    count: ok + r.non2xx,
    opsPerSec: Math.round(ok / DURATION),
    p50ms: r.latency.p50,
    p99ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

async function sdkLoad(kms, command) {
  let ok = 0;
  const latencies = [];
  const end = Date.now() + DURATION * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        const t = performance.now();
        await kms.send(command());
        latencies.push(performance.now() - t);
        ok++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pct = (p) => Math.round(latencies[Math.floor((latencies.length - 1) * p)] * 100) / 100;
  return { count: ok, opsPerSec: Math.round(ok / DURATION), p50ms: pct(0.5), p99ms: pct(0.99), non2xx: 0, errors: 0 };
}

const results = [];
const cleanup = [];
try {
  // 1. Ceiling.
  const bareBody = JSON.stringify({ CiphertextBlob: "A".repeat(80), KeyId: "arn:aws:kms:us-east-1:000000000000:key/x", EncryptionAlgorithm: "SYMMETRIC_DEFAULT" });
  const barePort = await freePort();
  const bare = spawn(process.execPath, ["-e", `require("http").createServer((q,s)=>{q.resume();q.on("end",()=>{s.writeHead(200,{"content-type":"application/x-amz-json-1.1"});s.end(${JSON.stringify(bareBody)})})}).listen(${barePort},"127.0.0.1")`]);
  cleanup.push(() => bare.kill());
  await waitFor(`http://127.0.0.1:${barePort}/`, bare, () => "");

  // 2. Keyhold API server, on a fresh database.
  const databaseUrl = process.env.DATABASE_URL ? await freshDatabase(process.env.DATABASE_URL, "bench") : undefined;
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "keyhold-bench-"));
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const profileDir = join(dataDir, "cpu-profile");
  const hsmEnv = benchSoftHsm(join(dataDir, "softhsm"));
  const { server, endpoint, log } = startBenchApiServer({
    port,
    dataDir,
    databaseUrl,
    env: { KEYHOLD_API_WORKERS: process.env.BENCH_API_WORKERS ?? "1", ...hsmEnv },
    nodeArgs: PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
  });
  cleanup.push(() => server.kill("SIGTERM"));
  await waitFor(`${endpoint}/readyz`, server, log);
  const memoryAfterStart = residentMemory(server.pid);

  const kms = new KMSClient({ endpoint, region: REGION, credentials: CREDS });
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "benchmark" }));
  const keyId = KeyMetadata.KeyId;
  const plaintext = Buffer.alloc(32, 7);
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }));
  const hsmKeyId = hsmEnv ? await benchHsmKey(kms) : undefined;

  // The server's own view of each run: /metrics before and after (none when KEYHOLD_METRICS=off).
  const scrape = async () => {
    const token = process.env.KEYHOLD_METRICS_TOKEN;
    const res = await fetch(`${endpoint}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} }).catch(() => undefined);
    return res?.ok ? res.text() : undefined;
  };
  const measured = async (load) => {
    const before = await scrape();
    const window = cpuWindow(server.pid);
    const result = await load();
    result.cpu = window.end(result.count);
    const after = await scrape();
    if (before && after) result.server = serverSideSummary(before, after);
    return result;
  };

  const db = process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite";
  const workers = Number(process.env.BENCH_API_WORKERS ?? 1);
  console.error(`benchmarking ${DURATION}s per run, concurrency ${CONCURRENCY}, database ${db}, ${workers} API worker(s) …`);

  const bareLoad = { url: `http://127.0.0.1:${barePort}/`, method: "POST", body: "{}" };
  await warmUp(bareLoad);
  const bareWindow = cpuWindow(bare.pid);
  const ceilingRun = summarize("ceiling: bare node:http, fixed body", await run(bareLoad));
  ceilingRun.cpu = bareWindow.end(ceilingRun.count);
  results.push(ceilingRun);
  const encrypt = await signed(endpoint, "Encrypt", { KeyId: keyId, Plaintext: plaintext.toString("base64") });
  await warmUp({ url: endpoint, ...encrypt });
  results.push(await measured(async () => summarize("Keyhold Encrypt (replayed signed request)", await run({ url: endpoint, ...encrypt }))));
  let profile;
  if (PROFILE) {
    // The profile covers the Encrypt run alone: stop the server now (SIGTERM writes the profile).
    const exited = new Promise((r) => server.once("exit", r));
    server.kill("SIGTERM");
    await exited;
    const file = readdirSync(profileDir).map((f) => join(profileDir, f)).sort((x, y) => statSync(y).size - statSync(x).size)[0];
    profile = summarizeProfile(file, { lastSeconds: DURATION, rows: 30 });
  } else {
    if (hsmKeyId) {
      const hsmEncrypt = await signed(endpoint, "Encrypt", { KeyId: hsmKeyId, Plaintext: plaintext.toString("base64") });
      await warmUp({ url: endpoint, ...hsmEncrypt });
      results.push(await measured(async () => summarize("Keyhold Encrypt on an HSM key (SoftHSM2, replayed signed request)", await run({ url: endpoint, ...hsmEncrypt }))));
    }
    const decrypt = await signed(endpoint, "Decrypt", { CiphertextBlob: Buffer.from(CiphertextBlob).toString("base64") });
    await warmUp({ url: endpoint, ...decrypt });
    results.push(await measured(async () => summarize("Keyhold Decrypt (replayed signed request)", await run({ url: endpoint, ...decrypt }))));
    const gdk = await signed(endpoint, "GenerateDataKey", { KeyId: keyId, KeySpec: "AES_256" });
    await warmUp({ url: endpoint, ...gdk });
    results.push(await measured(async () => summarize("Keyhold GenerateDataKey (replayed signed request)", await run({ url: endpoint, ...gdk }))));
    const sdk = async (name, command) => measured(async () => ({ name, ...(await sdkLoad(kms, command)) }));
    results.push(await sdk("Keyhold Encrypt via @aws-sdk/client-kms", () => new EncryptCommand({ KeyId: keyId, Plaintext: plaintext })));
    results.push(await sdk("Keyhold Decrypt via @aws-sdk/client-kms", () => new DecryptCommand({ CiphertextBlob })));
    results.push(await sdk("Keyhold GenerateDataKey via @aws-sdk/client-kms", () => new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: "AES_256" })));
  }
  kms.destroy();
  const memoryAfterLoad = PROFILE ? undefined : residentMemory(server.pid);
  if (memoryAfterLoad) {
    // Where it is: the JS heap vs memory outside it (PGlite's WASM memory is an ArrayBuffer, counted as external).
    const metric = (text, name) => Math.round(Number(new RegExp(`^${name} (\\S+)`, "m").exec(text ?? "")?.[1] ?? NaN) / 2 ** 20);
    const text = await scrape();
    Object.assign(memoryAfterLoad, { jsHeapMB: metric(text, "nodejs_heap_size_total_bytes"), externalMB: metric(text, "nodejs_external_memory_bytes") });
  }

  // 4. Audit cost, in its own process, data folder (root key) and database.
  const auditDir = mkdtempSync(join(tmpdir(), "keyhold-bench-audit-"));
  cleanup.push(() => rmSync(auditDir, { recursive: true, force: true }));
  const auditRun = spawnSync(process.execPath, ["--import", "tsx", "bench/audit-cost.ts"], {
    env: { ...process.env, ...(databaseUrl ? { DATABASE_URL: await freshDatabase(process.env.DATABASE_URL, "bench_audit") } : {}), KEYHOLD_DATA_DIR: auditDir, KEYHOLD_ADMIN_PASSWORD: "bench admin password", LOG_LEVEL: "warn" },
    encoding: "utf8",
  });
  const auditCost = JSON.parse(auditRun.stdout.split("\n").find((l) => l.startsWith('{"withAudit"')) ?? "null");
  if (!auditCost) throw new Error(`audit cost run failed:\n${auditRun.stderr}`);

  const ceiling = results[0].opsPerSec;
  for (const r of results) r.ofCeiling = Math.round((r.opsPerSec / ceiling) * 1000) / 10;
  console.log("\n| run | ops/s | p50 ms | p99 ms | % of ceiling | non-2xx | errors |\n|---|---:|---:|---:|---:|---:|---:|");
  for (const r of results) console.log(`| ${r.name} | ${r.opsPerSec} | ${r.p50ms} | ${r.p99ms} | ${r.ofCeiling} | ${r.non2xx} | ${r.errors} |`);
  console.log("\nCPU per request over each run's window, from /proc (server = its process tree; PostgreSQL = every postgres process on the machine):");
  console.log("| run | server µs | PostgreSQL µs | load generator µs | server cores | machine busy % | steal % |\n|---|---:|---:|---:|---:|---:|---:|");
  for (const { name, cpu } of results.filter((r) => r.cpu)) {
    console.log(`| ${name} | ${cpu.serverCpuMicrosPerRequest} | ${cpu.postgresCpuMicrosPerRequest} | ${cpu.loadGeneratorCpuMicrosPerRequest} | ${cpu.serverCores} | ${cpu.machineBusyPercent} | ${cpu.machineStealPercent} |`);
  }
  if (workers > 1) {
    console.log("\nCluster mode, each process of the server per request (the primary only hands connections to the workers; `node bench/cluster-scaling.mjs` compares 1 and N workers):");
    for (const { name, cpu } of results.filter((r) => r.cpu?.serverProcesses.length > 1)) {
      console.log(`| ${name} | ${cpu.serverProcesses.map((p) => `${p.primary ? "primary" : `worker ${p.pid}`} ${p.cpuMicrosPerRequest} µs (${p.cores} cores)`).join(" | ")} |`);
    }
  }
  const seen = results.filter((r) => r.server);
  if (seen.length) {
    console.log("\nThe server's own figures for the same runs (its /metrics; p50/p99 interpolated from histogram buckets):");
    console.log("| run | requests | ok | p50 ms | p99 ms | audit commits | events per commit | commit ms (mean) |\n|---|---:|---:|---:|---:|---:|---:|---:|");
    for (const { name, server: m } of seen) {
      console.log(`| ${name} | ${m.requests} | ${m.ok} | ${m.p50ms ?? "-"} | ${m.p99ms ?? "-"} | ${m.auditBatches} | ${m.auditBatchMean ?? "-"} | ${m.auditCommitMeanMs ?? "-"} |`);
    }
  }
  console.log(`\nServer memory (process tree): after start ${memoryAfterStart.rssMB} MB resident (peak ${memoryAfterStart.peakMB} MB)` + (memoryAfterLoad ? `; after the load ${memoryAfterLoad.rssMB} MB (peak ${memoryAfterLoad.peakMB} MB; JS heap ${memoryAfterLoad.jsHeapMB} MB, external incl. WASM ${memoryAfterLoad.externalMB} MB)` : ""));
  console.log("\n| key service alone, concurrency " + CONCURRENCY + " | ops/s | CPU µs per call |\n|---|---:|---:|");
  for (const r of [auditCost.withAudit, auditCost.withoutAudit]) console.log(`| ${r.name} | ${r.opsPerSec} | ${r.cpuMicrosPerCall} |`);
  if (profile) {
    console.log("\nWhere the server's time went during the replayed Encrypt run (each sample charged to the nearest lib/ frame):");
    for (const r of profile) console.log(`${String(r.percent).padStart(6)}%  ${r.owner}`);
  }
  console.log("\n" + JSON.stringify({ database: db, durationSeconds: DURATION, concurrency: CONCURRENCY, apiWorkers: workers, memoryAfterStart, memoryAfterLoad, results, auditCost, ...(profile ? { profile } : {}) }, null, 2));
} finally {
  for (const c of cleanup.reverse()) {
    try {
      c();
    } catch {}
  }
}
