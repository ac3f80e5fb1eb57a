// Failed authentication cannot write the audit trail at will: the real API
// handler (in this process, so the test can flush the summaries) answers
// thousands of bad-signature requests over keep-alive, throttles the source,
// and the trail grows by one bounded summary event per (source, claimed
// access key id). Authenticated calls, allowed or denied, stay one event each.
// The 40,000-request acceptance figure is bench/auth-failures.ts.
import { Agent, createServer, request, type Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createAccessKey } from "@/lib/accounts/access-keys";
import { flushAuthFailureAudit, resetAuthFailures, sourceOf, SUMMARY_EVENT_NAME } from "@/lib/api/auth-failures";
import { handleApiRequest } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { makeUser, operator } from "../helpers";
import { recordSecret } from "../secret-registry";
import { signedRequest, type RawRequest } from "./signed-request";
import { decodeRecord } from "@/lib/db/audit-record-codec.mjs";

// A burst of 100 failures that does not refill during the test (one per 100 s): exact counts.
vi.hoisted(() => {
  process.env.KEYHOLD_API_AUTH_FAILURES_PER_SECOND = "0.01";
  process.env.KEYHOLD_API_AUTH_FAILURE_BURST = "100";
});

interface Summary {
  eventName: string;
  eventSource: string;
  errorCode: string;
  errorMessage: string;
  sourceIPAddress: string;
  userAgent: string;
  userIdentity: { type: string; accessKeyId?: string };
  requestParameters: { failures: number; throttled: number; firstFailureTime: string; lastFailureTime: string; errorCodes: Array<{ errorCode: string; count: number }>; eventNames: Array<{ eventName: string; count: number }> };
}

let server: Server;
let endpoint: string;
let creds: { accessKeyId: string; secretAccessKey: string };
let deniedCreds: { accessKeyId: string; secretAccessKey: string };

async function keyFor(role: "ADMINISTRATOR" | null) {
  const { user } = await makeUser(role);
  const key = await createAccessKey(await operator(), { username: user.username });
  recordSecret(key.SecretAccessKey, "auth-failures test secret");
  return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
}

beforeAll(async () => {
  creds = await keyFor("ADMINISTRATOR");
  deniedCreds = await keyFor(null);
  server = createServer((req, res) => void handleApiRequest(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => resetAuthFailures());

const lastId = async () => (await prisma.$queryRawUnsafe<Array<{ id: bigint | null }>>(`SELECT max(id) AS id FROM "AuditEvent"`))[0]!.id ?? 0n;
async function eventsAfter(id: bigint) {
  const stored = await prisma.$queryRawUnsafe<Array<{ eventId: string; record: string | null; body: Uint8Array | null }>>(`SELECT "eventId"::text AS "eventId", record, body FROM "AuditEvent" WHERE id > $1 ORDER BY id`, id);
  const rows = stored.map((r) => ({ record: decodeRecord(r) }));
  return { rows: rows.length, bytes: rows.reduce((n, r) => n + Buffer.byteLength(r.record), 0), records: rows.map((r) => JSON.parse(r.record) as Summary) };
}

async function post(req: RawRequest, extra: Record<string, string> = {}) {
  const { host: _host, ...headers } = req.headers;
  const res = await fetch(endpoint, { method: "POST", headers: { ...headers, ...extra }, body: req.body });
  return { status: res.status, body: (await res.json()) as { __type: string; message: string } };
}

const FLOOD_CONNECTIONS = 8;

/** Sends `n` copies of one request over `connections` keep-alive connections; counts the answers by exception. */
async function flood(req: RawRequest, n: number, extra: Record<string, string> = {}, connections = FLOOD_CONNECTIONS) {
  const { host: _host, ...headers } = req.headers;
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const answers: Record<string, number> = {};
  const { port } = new URL(endpoint);
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const r = request({ host: "127.0.0.1", port, method: "POST", path: "/", headers: { ...headers, ...extra }, agent }, (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (d: string) => (text += d));
        res.on("end", () => {
          const body = JSON.parse(text) as { __type: string; message: string };
          expect(res.statusCode).toBe(400);
          if (body.__type === "ThrottlingException") expect(body.message).toBe("Rate exceeded");
          answers[body.__type] = (answers[body.__type] ?? 0) + 1;
          resolve();
        });
      });
      r.on("error", reject);
      r.end(req.body);
    });
  let sent = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (sent < n) {
        sent++;
        await one();
      }
    }),
  );
  agent.destroy();
  return answers;
}

describe("failed API authentication is summarised, not recorded per request", () => {
  it("4,000 bad-signature requests add one small summary event, and the source is throttled", async () => {
    const before = await lastId();
    const bad = await signedRequest(endpoint, "Decrypt", { CiphertextBlob: "AAAA" }, { ...creds, secretAccessKey: "x".repeat(40) });
    const answers = await flood(bad, 4000, { "user-agent": "u".repeat(5000) });
    // The burst is verified (and fails); the rest is refused unverified. Requests already past the
    // check when the last token goes (at most one per connection) are verified too.
    const verified = answers.InvalidSignatureException ?? 0;
    expect(verified).toBeGreaterThanOrEqual(100);
    expect(verified).toBeLessThanOrEqual(100 + FLOOD_CONNECTIONS);
    expect(verified + (answers.ThrottlingException ?? 0)).toBe(4000);
    // While the source's allowance is used up, even a correctly signed request is refused unverified (and counted).
    const meanwhile = await post(await signedRequest(endpoint, "Decrypt", { CiphertextBlob: "AAAA" }, creds));
    expect(meanwhile.body).toEqual({ __type: "ThrottlingException", message: "Rate exceeded" });
    answers.ThrottlingException! += 1;
    // Nothing is written per request.
    expect((await eventsAfter(before)).rows).toBe(0);

    await flushAuthFailureAudit();
    const after = await eventsAfter(before);
    expect(after.rows).toBe(1);
    expect(after.bytes).toBeLessThan(100_000);
    const [summary] = after.records;
    expect(summary).toMatchObject({
      eventName: SUMMARY_EVENT_NAME,
      eventSource: "kms.amazonaws.com",
      errorCode: "InvalidSignatureException",
      sourceIPAddress: "127.0.0.1",
      userAgent: "u".repeat(256),
      userIdentity: { type: "Unknown", accessKeyId: creds.accessKeyId },
      requestParameters: {
        failures: 4001,
        throttled: answers.ThrottlingException,
        errorCodes: [
          { errorCode: "InvalidSignatureException", count: answers.InvalidSignatureException },
          { errorCode: "ThrottlingException", count: answers.ThrottlingException },
        ],
        eventNames: [{ eventName: "Decrypt", count: 4001 }],
      },
    });
    expect(summary!.errorMessage).toMatch(/^4001 request\(s\) failed authentication between /);

    // A new window starts empty.
    await flushAuthFailureAudit();
    expect((await eventsAfter(before)).rows).toBe(1);
  });

  it("a client that signed correctly before keeps working while others at its address fail (shared proxy or NAT)", async () => {
    // The good client has been working: its key signed correctly.
    expect((await post(await signedRequest(endpoint, "ListKeys", {}, creds))).status).toBe(200);
    // Someone else behind the same address floods with garbage, claiming both another key and the good one.
    const garbage = await signedRequest(endpoint, "ListKeys", {}, { ...deniedCreds, secretAccessKey: "x".repeat(40) });
    const flooded = await flood(garbage, 400);
    expect(flooded.ThrottlingException).toBeGreaterThan(0);
    const forged = await post(await signedRequest(endpoint, "ListKeys", {}, { ...creds, secretAccessKey: "y".repeat(40) }));
    expect(forged.body.__type).toBe("InvalidSignatureException"); // checked, and refused
    // The good client's correctly signed calls are still verified and answered.
    const ok = await post(await signedRequest(endpoint, "ListKeys", {}, creds));
    expect(ok.status).toBe(200);
    // A key that never signed correctly from anywhere is still refused unverified.
    const stranger = await post(await signedRequest(endpoint, "ListKeys", {}, deniedCreds));
    expect(stranger.body).toEqual({ __type: "ThrottlingException", message: "Rate exceeded" });
    await flushAuthFailureAudit();
  });

  it("records only known operation names and AKIA-shaped key ids, and caps the key ids per source", async () => {
    const before = await lastId();
    const garbage = await signedRequest(endpoint, "ListKeys", {}, creds);
    garbage.headers["x-amz-target"] = `TrentService.${"Z".repeat(12_000)}`;
    garbage.headers.authorization = garbage.headers.authorization!.replace(creds.accessKeyId, "not-a-key-" + "q".repeat(100));
    expect((await post(garbage)).body.__type).toBe("UnrecognizedClientException");
    // 20 different well-formed key ids from the same source: 5 key ids per source ("invalid" is one) get summaries of their own, the rest one "other".
    for (let i = 0; i < 20; i++) {
      const r = await signedRequest(endpoint, "Encrypt", {}, { accessKeyId: `AKIA${"A".repeat(14)}${String.fromCharCode(65 + i)}A`, secretAccessKey: "y".repeat(40) });
      expect((await post(r)).body.__type).toBe("UnrecognizedClientException");
    }
    await flushAuthFailureAudit();
    const { rows, records } = await eventsAfter(before);
    expect(rows).toBe(6);
    const byKey = Object.fromEntries(records.map((r) => [r.userIdentity.accessKeyId, r]));
    expect(byKey.invalid!.requestParameters.eventNames).toEqual([{ eventName: "Unknown", count: 1 }]);
    expect(byKey.other!.requestParameters.failures).toBe(16);
    expect(JSON.stringify(records)).not.toContain("ZZZZZZZZ");
    expect(JSON.stringify(records)).not.toContain("not-a-key");
  });

  it("authenticated calls, allowed or denied, are still one event each", async () => {
    const before = await lastId();
    const denied = await post(await signedRequest(endpoint, "ListKeys", {}, deniedCreds));
    expect(denied.body.__type).toBe("AccessDeniedException");
    const allowed = await post(await signedRequest(endpoint, "ListKeys", {}, creds));
    expect(allowed.status).toBe(200);
    const unknownOp = await post(await signedRequest(endpoint, "MakeCoffee", {}, creds));
    expect(unknownOp.body.__type).toBe("UnknownOperationException");
    const { records } = await eventsAfter(before);
    expect(records.map((r) => [r.eventName, r.errorCode, r.userIdentity.accessKeyId])).toEqual([
      ["ListKeys", "AccessDeniedException", deniedCreds.accessKeyId],
      ["ListKeys", undefined, creds.accessKeyId],
      ["Unknown", "UnknownOperationException", creds.accessKeyId],
    ]);
  });
});

describe("sources", () => {
  it("counts IPv6 callers by their /64 and IPv4-mapped ones by the IPv4 address", () => {
    expect(sourceOf("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(sourceOf("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(sourceOf("::1")).toBe("0:0:0:0::/64");
    expect(sourceOf("::ffff:10.1.2.3")).toBe("10.1.2.3");
    expect(sourceOf("10.1.2.3")).toBe("10.1.2.3");
    expect(sourceOf(undefined)).toBe("unknown");
  });
});
