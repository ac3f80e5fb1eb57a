#!/usr/bin/env node
// `npm run bench:memory` (node bench/embedded-memory.mjs): the API server's
// memory on the embedded PGlite, after start and after BENCH_SECONDS (default
// 60) of replayed Encrypt, Decrypt and GenerateDataKey at concurrency 32
// (a third of the time each). Prints resident memory of the process tree (and
// each process's peak), and the server's own split: JS heap, external
// (PGlite's WASM memory is an ArrayBuffer, counted there) and array buffers.
// Target (issue 16): ≤ 300 MB after start and after the load.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { CreateKeyCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { freePort, startBenchApiServer, waitFor } from "./server-process.mjs";
import { cpuWindow, residentMemory } from "./proc-accounting.mjs";
import { BENCH_CREDENTIALS as CREDS, BENCH_REGION as REGION, signedRequest } from "./signed-request.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

const port = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), "keyhold-bench-memory-"));
// Always the embedded database, whatever this shell's DATABASE_URL (startBenchApiServer drops it).
const { server, endpoint, log } = startBenchApiServer({ port, dataDir });

const MB = (bytes) => Math.round(bytes / 2 ** 20);
async function snapshot() {
  const text = await (await fetch(`${endpoint}/metrics`)).text().catch(() => "");
  const metric = (name) => MB(Number(new RegExp(`^${name} (\\S+)`, "m").exec(text)?.[1] ?? NaN));
  return {
    ...residentMemory(server.pid),
    jsHeapMB: metric("nodejs_heap_size_total_bytes"),
    jsHeapUsedMB: metric("nodejs_heap_size_used_bytes"),
    externalMB: metric("nodejs_external_memory_bytes"),
  };
}

try {
  await waitFor(`${endpoint}/readyz`, server, log);
  await new Promise((r) => setTimeout(r, 1000)); // let start-up garbage settle as a server at rest would
  const afterStart = await snapshot();
  const kms = new KMSClient({ endpoint, region: REGION, credentials: CREDS });
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "memory benchmark" }));
  const plaintext = Buffer.alloc(32, 7);
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: KeyMetadata.KeyId, Plaintext: plaintext }));
  kms.destroy();
  const requests = [
    await signedRequest(endpoint, "Encrypt", { KeyId: KeyMetadata.KeyId, Plaintext: plaintext.toString("base64") }),
    await signedRequest(endpoint, "Decrypt", { CiphertextBlob: Buffer.from(CiphertextBlob).toString("base64") }),
    await signedRequest(endpoint, "GenerateDataKey", { KeyId: KeyMetadata.KeyId, KeySpec: "AES_256" }),
  ];
  console.error(`embedded PGlite: ${SECONDS}s of Encrypt/Decrypt/GenerateDataKey at concurrency ${CONCURRENCY} …`);
  let ok = 0;
  const window = cpuWindow(server.pid);
  for (const req of requests) {
    const r = await new Promise((resolve, reject) =>
      autocannon({ url: endpoint, connections: CONCURRENCY, duration: SECONDS / requests.length, pipelining: 1, ...req }, (e, res) => (e ? reject(e) : resolve(res))),
    );
    ok += r["2xx"];
    if (r.non2xx || r.errors) throw new Error(`${r.non2xx} non-2xx answers, ${r.errors} errors:\n${log()}`);
  }
  const cpu = window.end(ok);
  const afterLoad = await snapshot();
  const row = (name, m) => `| ${name} | ${m.rssMB} | ${m.peakMB} | ${m.jsHeapMB} (${m.jsHeapUsedMB} used) | ${m.externalMB} |`;
  console.log(`\nServer memory (API server process tree, embedded PGlite; ${ok} requests in ${SECONDS}s):`);
  console.log("| when | resident MB | peak MB | JS heap MB | external MB (incl. WASM) |\n|---|---:|---:|---:|---:|");
  console.log(row("after start", afterStart));
  console.log(row(`after ${SECONDS}s of load`, afterLoad));
  console.log(`\nServer CPU ${cpu.serverCpuMicrosPerRequest} µs per request (process tree, PGlite inside it), ${Math.round(ok / SECONDS)} requests/s, machine busy ${cpu.machineBusyPercent} %, steal ${cpu.machineStealPercent} %`);
  console.log("\n" + JSON.stringify({ seconds: SECONDS, requests: ok, afterStart, afterLoad, cpu }));
} finally {
  server.kill("SIGTERM");
  await new Promise((r) => (server.exitCode !== null ? r() : server.once("exit", r)));
  rmSync(dataDir, { recursive: true, force: true });
}
