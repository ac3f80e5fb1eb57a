#!/usr/bin/env node
// A quick loop for working on the request hot path: one API server, one
// replayed signed request per operation, server CPU µs per request from /proc
// (the figure that stays meaningful on a busy host). Faster than `npm run bench`
// and prints one line per run; BENCH_PROFILE=1 adds the self-time of the hottest
// functions (from --cpu-prof); BENCH_HEAP_PROFILE=1 the bytes each function allocates per
// request over the measured window (bench/heap-sample.mjs; sampling slows the server, so read CPU
// figures from a run without it). Not a replacement for `npm run bench`.
//   DATABASE_URL=… node bench/hot-path.mjs [Encrypt|Decrypt|GenerateDataKey …] (BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONNECTIONS (32);
//   BENCH_NODE_ARGS="--max-semi-space-size=32" passes flags to the server's node)
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { CreateKeyCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { freshDatabase } from "./fresh-database.mjs";
import { BENCH_CREDENTIALS, signedRequest } from "./signed-request.mjs";
import { cpuWindow } from "./proc-accounting.mjs";
import { serverSideSummary } from "./metrics-scrape.mjs";
import { freePort, startBenchApiServer, waitFor } from "./server-process.mjs";
import pg from "pg";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const PROFILE = process.env.BENCH_PROFILE === "1";
const HEAP_PROFILE = process.env.BENCH_HEAP_PROFILE === "1";
/** prom-client's default eventLoopMonitoringPrecision: its loop-lag figures include this interval. */
const LOOP_SAMPLING_MS = 10;
const OPS = process.argv.slice(2).length ? process.argv.slice(2) : ["Encrypt", "Decrypt", "GenerateDataKey"];

/** What the database did, from pg_stat_database (commits, rows, blocks): to tell statements per request from cost per statement. */
async function databaseStats(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT xact_commit, tup_inserted, tup_fetched, tup_returned, tup_updated, blks_hit FROM pg_stat_database WHERE datname = current_database()");
    await client.query("SELECT pg_stat_clear_snapshot()");
    return Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)]));
  } finally {
    await client.end();
  }
}

function perRequest(before, after, requests) {
  return "  db/request:" + Object.keys(before).map((k) => ` ${k} ${((after[k] - before[k]) / requests).toFixed(2)}`).join("");
}

const dataDir = mkdtempSync(join(tmpdir(), "keyhold-hot-"));
const databaseUrl = process.env.DATABASE_URL ? await freshDatabase(process.env.DATABASE_URL, "hot") : undefined;
const port = await freePort();
const profileDir = join(dataDir, "prof");
const heapProfile = join(dataDir, "heap-profile.json");
if (HEAP_PROFILE) process.env.KEYHOLD_BENCH_HEAP_PROFILE = heapProfile; // the server inherits the environment
const { server, endpoint, log } = startBenchApiServer({
  port,
  dataDir,
  databaseUrl,
  nodeArgs: [
    ...(process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
    ...(PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []),
    ...(HEAP_PROFILE ? ["--import", new URL("./heap-sample.mjs", import.meta.url).pathname] : []),
  ],
});

/** Bytes allocated per request by each function (self), from a sampling heap profile of the measured window. */
async function printHeapProfile(requests) {
  for (let waited = 0; !existsSync(heapProfile); waited += 100) {
    if (waited > 30_000) throw new Error("the server wrote no heap profile");
    await new Promise((r) => setTimeout(r, 100));
  }
  const { head } = JSON.parse(readFileSync(heapProfile, "utf8"));
  rmSync(heapProfile);
  const self = new Map();
  let total = 0;
  const walk = (node) => {
    const cf = node.callFrame;
    const k = `${cf.functionName || "(anonymous)"} ${cf.url.replace(/^.*\/(node_modules\/(@[^/]+\/)?[^/]+|lib|bench)\//, "$1/")}:${cf.lineNumber + 1}`;
    self.set(k, (self.get(k) ?? 0) + node.selfSize);
    total += node.selfSize;
    for (const c of node.children ?? []) walk(c);
  };
  walk(head);
  console.log(`  allocated ${(total / requests / 1024).toFixed(1)} KB a request (sampled every 4 KB, garbage included); by function:`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${String(Math.round(v / requests)).padStart(6)} B  ${k}`);
}
try {
  await waitFor(`${endpoint}/readyz`, server, log);
  const kms = new KMSClient({ endpoint, region: "us-east-1", credentials: BENCH_CREDENTIALS });
  const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata.KeyId;
  const plaintext = Buffer.alloc(32, 7);
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }));
  kms.destroy();
  const scrape = () => fetch(`${endpoint}/metrics`).then((r) => (r.ok ? r.text() : undefined), () => undefined);
  const bodies = {
    Encrypt: { KeyId: keyId, Plaintext: plaintext.toString("base64") },
    Decrypt: { CiphertextBlob: Buffer.from(CiphertextBlob).toString("base64") },
    GenerateDataKey: { KeyId: keyId, KeySpec: "AES_256" },
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const op of OPS) {
      const { headers, body } = await signedRequest(endpoint, op, bodies[op]);
      await new Promise((r, j) => autocannon({ url: endpoint, method: "POST", headers, body, connections: CONNECTIONS, duration: 1 }, (e) => (e ? j(e) : r()))); // warm-up
      const stats = databaseUrl ? await databaseStats(databaseUrl) : undefined;
      const metricsBefore = await scrape();
      if (HEAP_PROFILE) server.kill("SIGUSR2"); // sampling on
      const window = cpuWindow(server.pid);
      const result = await new Promise((r, j) => autocannon({ url: endpoint, method: "POST", headers, body, connections: CONNECTIONS, duration: SECONDS }, (e, res) => (e ? j(e) : r(res))));
      const cpu = window.end(result["2xx"]);
      if (HEAP_PROFILE) server.kill("SIGUSR2"); // sampling off: the profile is written
      const metricsAfter = await scrape();
      const writer = metricsBefore && metricsAfter ? serverSideSummary(metricsBefore, metricsAfter) : undefined;
      // /proc cannot split the main thread from the GC threads; the event loop's lag (prom-client's
      // default metrics) says whether the main thread is the queue. prom-client samples the loop
      // every 10 ms and reports the whole interval (an idle loop reads ~10.1 ms): the lag is the rest.
      const lag = metricsAfter ? /^nodejs_eventloop_lag_p99_seconds (\S+)/m.exec(metricsAfter)?.[1] : undefined;
      const lagText = lag ? `  loop lag p99 ${Math.max(0, Number(lag) * 1000 - LOOP_SAMPLING_MS).toFixed(1)} ms` : "";
      const audit = writer?.auditBatches ? `  audit: ${writer.auditBatchMean} events/batch, commit ${writer.auditCommitMeanMs} ms, ${Math.round((writer.auditBatches * writer.auditCommitMeanMs) / (10 * SECONDS))}% of the time committing` : "";
      const db = stats ? perRequest(stats, await databaseStats(databaseUrl), result["2xx"] + result.non2xx) : "";
      console.log(`${op.padEnd(16)} ${String(Math.round(result["2xx"] / SECONDS)).padStart(6)}/s  p99 ${String(result.latency.p99).padStart(4)} ms  server ${String(cpu.serverCpuMicrosPerRequest).padStart(5)} µs  pg ${String(cpu.postgresCpuMicrosPerRequest).padStart(4)} µs  cores ${cpu.serverCores}  busy ${cpu.machineBusyPercent}%  non2xx ${result.non2xx}${lagText}${audit}${db}`);
      if (HEAP_PROFILE) await printHeapProfile(result["2xx"] + result.non2xx);
    }
  }
} finally {
  const exited = new Promise((r) => server.once("exit", r));
  server.kill("SIGTERM");
  await exited;
  if (PROFILE) {
    const file = readdirSync(profileDir).map((f) => join(profileDir, f))[0];
    if (process.env.BENCH_PROFILE_KEEP) copyFileSync(file, process.env.BENCH_PROFILE_KEEP); // for a closer look (e.g. in Chrome DevTools)
    const p = JSON.parse(readFileSync(file, "utf8"));
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const self = new Map();
    let total = 0;
    let t = p.startTime;
    const from = p.endTime - SECONDS * ROUNDS * OPS.length * 1e6;
    for (let i = 0; i < p.samples.length; i++) {
      t += p.timeDeltas[i] ?? 0;
      if (t < from) continue;
      const cf = byId.get(p.samples[i]).callFrame;
      if (cf.functionName === "(idle)") continue;
      const k = `${cf.functionName || "(anonymous)"} ${cf.url.replace(/^.*\/(node_modules\/(@[^/]+\/)?[^/]+|lib|bench)\//, "$1/")}:${cf.lineNumber + 1}`;
      self.set(k, (self.get(k) ?? 0) + (p.timeDeltas[i] ?? 0));
      total += p.timeDeltas[i] ?? 0;
    }
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
    // Inclusive time of Keyhold's own functions (a sample counts once per function on its stack):
    // which part of the request path the self-time above belongs to.
    const parent = new Map();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const inclusive = new Map();
    t = p.startTime;
    for (let i = 0; i < p.samples.length; i++) {
      t += p.timeDeltas[i] ?? 0;
      if (t < from || byId.get(p.samples[i]).callFrame.functionName === "(idle)") continue;
      const seen = new Set();
      for (let id = p.samples[i]; id !== undefined; id = parent.get(id)) {
        const cf = byId.get(id).callFrame;
        const m = /\/(lib\/(?!db\/generated)[^?]+)$/.exec(cf.url);
        if (m) seen.add(`${cf.functionName || "(anonymous)"} ${m[1]}`);
      }
      for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + (p.timeDeltas[i] ?? 0));
    }
    console.log("inclusive:");
    for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
  }
  rmSync(dataDir, { recursive: true, force: true });
}
