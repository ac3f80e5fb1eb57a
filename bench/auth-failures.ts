// What unauthenticated requests cost the audit trail: 40,000 bad-signature
// requests (one signed request replayed with a wrong secret, keep-alive,
// 16 connections) at the real API server in this process, then the
// failed-authentication summaries are flushed and the audit table's growth is
// measured. Acceptance: under 1 MB. (Before summaries, 39,475 such requests
// added 111 MB: one event each.) Prints one JSON line. Never part of `npm test`.
//
//   node --import tsx bench/auth-failures.ts
//
// Uses DATABASE_URL when set (on a fresh `<db>_bench_authfail` database), else
// the embedded database in a temporary data folder. BENCH_REQUESTS changes
// the count; KEYHOLD_API_AUTH_FAILURES_PER_SECOND / _BURST the throttle (set
// them very high to measure the summaries alone).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, request } from "node:http";
import { Hash } from "@smithy/hash-node";
import { freshDatabase } from "./fresh-database.mjs";
import { SignatureV4 } from "@smithy/signature-v4";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40_000);
const ACCESS_KEY_ID = "AKIABENCHAUTHFAILURE";

const dataDir = mkdtempSync(join(tmpdir(), "keyhold-bench-authfail-"));
process.env.KEYHOLD_DATA_DIR = dataDir;
process.env.KEYHOLD_ADMIN_PASSWORD ??= "bench admin password";
process.env.KEYHOLD_BOOTSTRAP_ACCESS_KEY_ID = ACCESS_KEY_ID;
process.env.KEYHOLD_BOOTSTRAP_SECRET_ACCESS_KEY = "bench/secret+0000000000000000000000000000".slice(0, 40);
process.env.LOG_LEVEL ??= "warn";
if (process.env.DATABASE_URL) process.env.DATABASE_URL = await freshDatabase(process.env.DATABASE_URL, "bench_authfail");

const { configureAndBoot } = await import("@/lib/runtime/start");
const { booted } = await configureAndBoot("Keyhold auth-failures benchmark");
const { createKeyholdServer, listen } = await import("@/lib/runtime/http");
const { flushAuthFailureAudit } = await import("@/lib/api/auth-failures");
const { prisma } = await import("@/lib/db/client");

const { server } = createKeyholdServer((_req, res) => res.end());
const port = await listen(server, 0, "127.0.0.1");

async function auditSize() {
  const [row] = await prisma.$queryRawUnsafe<Array<{ rows: bigint; records: bigint | null; relation: bigint }>>(
    `SELECT count(*) AS rows, sum(COALESCE(length(body), octet_length(record))) AS records, pg_total_relation_size('"AuditEvent"') AS relation FROM "AuditEvent"`,
  );
  return { rows: Number(row!.rows), recordBytes: Number(row!.records ?? 0), relationBytes: Number(row!.relation) };
}

const signer = new SignatureV4({
  credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: "wrong/secret".padEnd(40, "0") },
  region: "us-east-1",
  service: "kms",
  sha256: Hash.bind(null, "sha256"),
});
const body = JSON.stringify({ CiphertextBlob: "AAAA" });
const signed = await signer.sign(
  {
    method: "POST",
    protocol: "http:",
    hostname: "127.0.0.1",
    port,
    path: "/",
    query: {},
    headers: { host: `127.0.0.1:${port}`, "content-type": "application/x-amz-json-1.1", "x-amz-target": "TrentService.Decrypt" },
    body,
  },
  { signingDate: new Date() },
);
const { host: _host, ...headers } = signed.headers;

/** Sends `n` copies of the request over `connections` keep-alive connections; counts answers by exception. */
async function replay(n: number, connections: number): Promise<Record<string, number>> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const counts: Record<string, number> = {};
  let sent = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, method: "POST", path: "/", headers, agent }, (res) => {
        const type = String(res.headers["x-amzn-errortype"] ?? res.statusCode);
        counts[type] = (counts[type] ?? 0) + 1;
        res.resume().on("end", resolve);
      });
      req.on("error", reject);
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (sent < n) {
        sent++;
        await one();
      }
    }),
  );
  agent.destroy();
  return counts;
}

await flushAuthFailureAudit();
const before = await auditSize();
const started = performance.now();
const answers = await replay(REQUESTS, 16);
const seconds = (performance.now() - started) / 1000;
await flushAuthFailureAudit();
const after = await auditSize();

const result = {
  requests: REQUESTS,
  seconds: Math.round(seconds * 10) / 10,
  answers,
  auditRowsAdded: after.rows - before.rows,
  auditRecordBytesAdded: after.recordBytes - before.recordBytes,
  auditRelationBytesAdded: after.relationBytes - before.relationBytes,
  acceptance: after.relationBytes - before.relationBytes < 1_000_000 ? "pass (< 1 MB)" : "FAIL (>= 1 MB)",
};
console.log(JSON.stringify(result));
server.close();
await booted.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(result.acceptance.startsWith("pass") ? 0 : 1);
