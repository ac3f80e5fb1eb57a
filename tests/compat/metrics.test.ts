// GET /metrics on the API server: Prometheus text, protected by
// KEYHOLD_METRICS_TOKEN when set, with counts that move by exactly the calls
// made (ok, denied, client errors, unknown operations), and, in cluster mode,
// one scrape that adds up every worker.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMetrics, sumOf } from "../../bench/metrics-scrape.mjs";
import { recordSecret } from "../secret-registry";
import { ADMIN_KEY, makeApiUser, startApiServer, type TestServer } from "./server";
import { send, signedRequest } from "./signed-request";

const TOKEN = "metrics-test-token-0123456789";

let server: TestServer;
let scrape: () => Promise<ReturnType<typeof parseMetrics>>;

beforeAll(async () => {
  recordSecret(TOKEN, "KEYHOLD_METRICS_TOKEN of the metrics test");
  server = await startApiServer({ env: { KEYHOLD_METRICS_TOKEN: TOKEN } });
  scrape = async () => {
    const res = await fetch(`${server.endpoint}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    return parseMetrics(await res.text());
  };
});
afterAll(async () => server?.stop());

const call = async (operation: string, body: unknown, creds = ADMIN_KEY) => send(server.endpoint, await signedRequest(server.endpoint, operation, body, creds));

describe("GET /metrics", () => {
  it("needs the bearer token when KEYHOLD_METRICS_TOKEN is set", async () => {
    const none = await fetch(`${server.endpoint}/metrics`);
    expect(none.status).toBe(401);
    expect(await none.text()).not.toContain("keyhold_");
    const wrong = await fetch(`${server.endpoint}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const basic = await fetch(`${server.endpoint}/metrics`, { headers: { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}` } });
    expect(basic.status).toBe(401);
    const ok = await fetch(`${server.endpoint}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await ok.text();
    for (const family of [
      "keyhold_api_requests_total",
      "keyhold_api_request_duration_seconds",
      "keyhold_audit_queue_depth",
      "keyhold_audit_batch_size",
      "keyhold_audit_commit_duration_seconds",
      "keyhold_db_pool_connections",
      "keyhold_db_pool_waiting",
      "keyhold_cache_lookups_total",
      "keyhold_scheduler_runs_total",
      "process_cpu_user_seconds_total",
      "nodejs_eventloop_lag_seconds",
    ]) {
      expect(text).toContain(`# TYPE ${family} `);
    }
  });

  it("counts calls by operation and outcome, with latency, audit batches, caches and pools", async () => {
    const created = await call("CreateKey", { Description: "metrics test" });
    expect(created.status).toBe(200);
    const keyId = (created.body.KeyMetadata as { KeyId: string }).KeyId;
    const auditor = makeApiUser(server, `metrics-auditor-${Date.now()}`, "auditor");
    const before = await scrape();

    for (let i = 0; i < 3; i++) expect((await call("Encrypt", { KeyId: keyId, Plaintext: Buffer.from(`m${i}`).toString("base64") })).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await call("Encrypt", { KeyId: keyId, Plaintext: "eA==" }, auditor)).body.__type).toBe("AccessDeniedException");
    expect((await call("Encrypt", { KeyId: "11111111-2222-3333-4444-555555555555", Plaintext: "eA==" })).body.__type).toBe("NotFoundException");
    // A caller-chosen operation name never becomes a label.
    expect((await call("NoSuchOperation-secret-looking", {})).body.__type).toBe("UnknownOperationException");

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) => sumOf(after, name, labels) - sumOf(before, name, labels);
    expect(delta("keyhold_api_requests_total", { operation: "Encrypt", outcome: "ok" })).toBe(3);
    expect(delta("keyhold_api_requests_total", { operation: "Encrypt", outcome: "denied" })).toBe(2);
    expect(delta("keyhold_api_requests_total", { operation: "Encrypt", outcome: "client_error" })).toBe(1);
    expect(delta("keyhold_api_requests_total", { operation: "Unknown", outcome: "client_error" })).toBe(1);
    expect(delta("keyhold_api_requests_total", { outcome: "server_error" })).toBe(0);
    expect(delta("keyhold_api_request_duration_seconds_count", { operation: "Encrypt" })).toBe(6);
    expect(after.some((s) => Object.values(s.labels).some((v) => v.includes("NoSuchOperation")))).toBe(false);
    expect(after.some((s) => Object.values(s.labels).some((v) => v.includes(keyId)))).toBe(false);

    // Every call was audited: at least one group commit, and batches hold them all.
    expect(delta("keyhold_audit_batch_size_count")).toBeGreaterThan(0);
    expect(delta("keyhold_audit_batch_size_sum")).toBeGreaterThanOrEqual(6);
    expect(delta("keyhold_audit_commit_duration_seconds_count")).toBe(delta("keyhold_audit_batch_size_count"));
    // The key row and its material were cached after the first Encrypt.
    expect(delta("keyhold_cache_lookups_total", { cache: "key", result: "hit" })).toBeGreaterThan(0);
    expect(delta("keyhold_cache_lookups_total", { cache: "material", result: "hit" })).toBeGreaterThanOrEqual(2);
    expect(sumOf(after, "keyhold_db_pool_connections", { pool: "main" })).toBeGreaterThan(0);
  });

  it("counts audit chain verifications by result", async () => {
    const before = await scrape();
    const verify = server.cli(["audit", "verify", "--json"]);
    expect(verify.status, verify.stderr).toBe(0);
    const after = await scrape();
    expect(sumOf(after, "keyhold_audit_verifications_total", { result: "ok" }) - sumOf(before, "keyhold_audit_verifications_total", { result: "ok" })).toBe(1);
    expect(sumOf(after, "keyhold_audit_verifications_total", { result: "failed" })).toBe(0);
  });
});

// Cluster mode needs PostgreSQL; the embedded database lives inside one process.
const postgres = !!process.env.DATABASE_URL && process.env.DB_POOL_MAX !== "1";

describe.runIf(postgres)("GET /metrics in cluster mode", () => {
  let clustered: TestServer | undefined;
  afterAll(async () => clustered?.stop());

  it("answers for every worker, whichever worker takes the scrape", async () => {
    clustered = await startApiServer({ env: { KEYHOLD_API_WORKERS: "2", KEYHOLD_METRICS: "on" } });
    const endpoint = clustered.endpoint;
    const created = await send(endpoint, await signedRequest(endpoint, "CreateKey", {}, ADMIN_KEY));
    const keyId = (created.body.KeyMetadata as { KeyId: string }).KeyId;
    // Many connections at once: the primary hands them to both workers.
    const results = await Promise.all(
      Array.from({ length: 60 }, async () => send(endpoint, await signedRequest(endpoint, "Encrypt", { KeyId: keyId, Plaintext: "eA==" }, ADMIN_KEY))),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const db = new (await import("pg")).default.Client({ connectionString: clustered.env.DATABASE_URL });
    await db.connect();
    const chains = await db.query<{ n: string }>(`SELECT count(DISTINCT "chainId") AS n FROM "AuditEvent" WHERE "keyId" = $1 AND "eventName" = 'Encrypt'`, [keyId]);
    await db.end();
    expect(Number(chains.rows[0]!.n)).toBe(2); // both workers served some

    // Open without a token; each scrape (on a new connection, any worker) sees the total.
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${endpoint}/metrics`, { headers: { connection: "close" } });
      expect(res.status).toBe(200);
      const samples = parseMetrics(await res.text());
      expect(sumOf(samples, "keyhold_api_requests_total", { operation: "Encrypt", outcome: "ok" })).toBe(60);
      expect(sumOf(samples, "keyhold_api_requests_total", { operation: "CreateKey", outcome: "ok" })).toBe(1);
    }
  });
});
