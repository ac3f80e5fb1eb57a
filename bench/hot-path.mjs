#!/usr/bin/env node
// A quick loop for working on the request hot path: one API server, one
// replayed signed request per operation, server CPU µs per request from /proc
// (the figure that stays meaningful on a busy host). Faster than `npm run bench`
// and prints one line per run; BENCH_PROFILE=1 adds the self-time of the hottest
// functions (from --cpu-prof). Not a replacement for `npm run bench`.
//   DATABASE_URL=… node bench/hot-path.mjs [Encrypt|Decrypt|GenerateDataKey …] (BENCH_SECONDS, BENCH_ROUNDS)
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { CreateKeyCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { freshDatabase } from "./fresh-database.mjs";
import { BENCH_CREDENTIALS, signedRequest } from "./signed-request.mjs";
import { cpuWindow } from "./proc-accounting.mjs";
import { freePort, startBenchApiServer, waitFor } from "./server-process.mjs";
import pg from "pg";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const PROFILE = process.env.BENCH_PROFILE === "1";
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
const { server, endpoint, log } = startBenchApiServer({ port, dataDir, databaseUrl, nodeArgs: PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [] });
try {
  await waitFor(`${endpoint}/readyz`, server, log);
  const kms = new KMSClient({ endpoint, region: "us-east-1", credentials: BENCH_CREDENTIALS });
  const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata.KeyId;
  const plaintext = Buffer.alloc(32, 7);
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }));
  kms.destroy();
  const bodies = {
    Encrypt: { KeyId: keyId, Plaintext: plaintext.toString("base64") },
    Decrypt: { CiphertextBlob: Buffer.from(CiphertextBlob).toString("base64") },
    GenerateDataKey: { KeyId: keyId, KeySpec: "AES_256" },
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const op of OPS) {
      const { headers, body } = await signedRequest(endpoint, op, bodies[op]);
      await new Promise((r, j) => autocannon({ url: endpoint, method: "POST", headers, body, connections: 32, duration: 1 }, (e) => (e ? j(e) : r()))); // warm-up
      const stats = databaseUrl ? await databaseStats(databaseUrl) : undefined;
      const window = cpuWindow(server.pid);
      const result = await new Promise((r, j) => autocannon({ url: endpoint, method: "POST", headers, body, connections: 32, duration: SECONDS }, (e, res) => (e ? j(e) : r(res))));
      const cpu = window.end(result["2xx"]);
      const db = stats ? perRequest(stats, await databaseStats(databaseUrl), result["2xx"] + result.non2xx) : "";
      console.log(`${op.padEnd(16)} ${String(Math.round(result["2xx"] / SECONDS)).padStart(6)}/s  p99 ${String(result.latency.p99).padStart(4)} ms  server ${String(cpu.serverCpuMicrosPerRequest).padStart(5)} µs  pg ${String(cpu.postgresCpuMicrosPerRequest).padStart(4)} µs  cores ${cpu.serverCores}  busy ${cpu.machineBusyPercent}%  non2xx ${result.non2xx}${db}`);
    }
  }
} finally {
  const exited = new Promise((r) => server.once("exit", r));
  server.kill("SIGTERM");
  await exited;
  if (PROFILE) {
    const file = readdirSync(profileDir).map((f) => join(profileDir, f))[0];
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
  }
  rmSync(dataDir, { recursive: true, force: true });
}
