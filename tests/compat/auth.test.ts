// Authentication matrix for the API: each way a request can be wrong gets
// AWS's exact exception; then a fuzz pass over every operation.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kmsModel } from "@/lib/api/model";
import { ADMIN_KEY, makeApiUser, startApiServer, type TestServer } from "./server";
import { send, signedRequest } from "./signed-request";

let server: TestServer;
beforeAll(async () => {
  // Failed authentications are written as one summary per source and key id per window
  // (tests/compat/auth-failures.test.ts): a long window keeps them out of the counts below.
  server = await startApiServer({ env: { KEYHOLD_API_AUTH_FAILURE_WINDOW_SECONDS: "3600" } });
});
afterAll(async () => server?.stop());

const minutes = (n: number) => new Date(Date.now() + n * 60_000);

describe("SigV4 authentication", () => {
  it("accepts a correctly signed request and answers with AWS headers", async () => {
    const res = await send(server.endpoint, await signedRequest(server.endpoint, "ListKeys", {}, ADMIN_KEY));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(res.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("date")).toBeTruthy();
    expect(res.body).toHaveProperty("Keys");
  });

  const cases: Array<[string, () => Promise<{ headers: Record<string, string>; body: string }>, string, RegExp?]> = [
    [
      "no Authorization header",
      async () => {
        const r = await signedRequest(server.endpoint, "ListKeys", {}, ADMIN_KEY);
        delete r.headers.authorization;
        return r;
      },
      "MissingAuthenticationTokenException",
    ],
    [
      "unknown access key",
      async () => signedRequest(server.endpoint, "ListKeys", {}, { accessKeyId: "AKIAAAAAAAAAAAAAAAAA", secretAccessKey: ADMIN_KEY.secretAccessKey }),
      "UnrecognizedClientException",
      /security token included in the request is invalid/,
    ],
    [
      "wrong secret",
      async () => signedRequest(server.endpoint, "ListKeys", {}, { ...ADMIN_KEY, secretAccessKey: "x".repeat(40) }),
      "InvalidSignatureException",
      /signature we calculated does not match/,
    ],
    [
      "tampered body (hash header kept)",
      async () => ({ ...(await signedRequest(server.endpoint, "ListKeys", { Limit: 1 }, ADMIN_KEY)), body: '{"Limit":2}' }),
      "InvalidSignatureException",
    ],
    [
      "tampered body (no hash header, as the AWS CLI signs)",
      async () => ({ ...(await signedRequest(server.endpoint, "ListKeys", { Limit: 1 }, ADMIN_KEY, { contentSha256: false })), body: '{"Limit":2}' }),
      "InvalidSignatureException",
      /signature we calculated does not match/,
    ],
    [
      "signed header changed after signing",
      async () => {
        const r = await signedRequest(server.endpoint, "ListKeys", {}, ADMIN_KEY);
        r.headers["x-amz-target"] = "TrentService.ListAliases";
        return r;
      },
      "InvalidSignatureException",
    ],
    [
      "x-amz-target left out of the signature (an operation could be swapped on a captured request)",
      async () => {
        const r = await signedRequest(server.endpoint, "ListKeys", {}, ADMIN_KEY, { unsigned: ["x-amz-target"] });
        r.headers["x-amz-target"] = "TrentService.ListAliases";
        return r;
      },
      "InvalidSignatureException",
      /'x-amz-target' must be signed/,
    ],
    [
      "unsigned x-amz- header added",
      async () => {
        const r = await signedRequest(server.endpoint, "ListKeys", {}, ADMIN_KEY);
        r.headers["x-amz-security-token"] = "injected";
        return r;
      },
      "InvalidSignatureException",
      /'x-amz-security-token' must be signed/,
    ],
    [
      "signed session token (Keyhold issues none: it cannot be valid)",
      async () => {
        const r = await signedRequest(server.endpoint, "ListKeys", {}, { ...ADMIN_KEY, sessionToken: "IQoJb3JpZ2luX2VjEXAMPLETOKEN" });
        expect(r.headers["x-amz-security-token"]).toBe("IQoJb3JpZ2luX2VjEXAMPLETOKEN");
        return r;
      },
      "UnrecognizedClientException",
      /^The security token included in the request is invalid\.$/,
    ],
    [
      "request dated 10 minutes ago",
      async () => signedRequest(server.endpoint, "ListKeys", {}, ADMIN_KEY, { date: minutes(-10) }),
      "InvalidSignatureException",
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
    ],
    [
      "request dated 10 minutes ahead",
      async () => signedRequest(server.endpoint, "ListKeys", {}, ADMIN_KEY, { date: minutes(10) }),
      "InvalidSignatureException",
      /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/,
    ],
    [
      "scoped to another region",
      async () => signedRequest(server.endpoint, "ListKeys", {}, ADMIN_KEY, { region: "eu-west-1" }),
      "InvalidSignatureException",
      /scoped to a valid region/,
    ],
    [
      "scoped to another service",
      async () => signedRequest(server.endpoint, "ListKeys", {}, ADMIN_KEY, { service: "s3" }),
      "InvalidSignatureException",
      /correct service: 'kms'/,
    ],
    [
      "garbled Authorization header",
      async () => {
        const r = await signedRequest(server.endpoint, "ListKeys", {}, ADMIN_KEY);
        r.headers.authorization = "AWS4-HMAC-SHA256 Credential=nonsense";
        return r;
      },
      "IncompleteSignatureException",
    ],
  ];

  const auditedEvents = () => {
    const r = server.cli(["audit", "verify", "--json"]);
    const report = JSON.parse(r.stdout) as { ok: boolean; events: number };
    expect(report.ok).toBe(true);
    return report.events;
  };

  it.each(cases.map(([name, build, type, message]) => ({ name, build, type, message })))("$name → $type, counted, not written per request", async ({ build, type, message }) => {
    const before = auditedEvents();
    const res = await send(server.endpoint, await build());
    // An unauthenticated request writes nothing by itself (it is counted into a
    // summary event per window). Each verification is recorded, after its
    // report: the first call's VerifyAuditChain event is the only new one.
    expect(auditedEvents()).toBe(before + 1);
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe(type);
    expect(res.headers.get("x-amzn-errortype")).toBe(type);
    if (message) expect(res.body.message).toMatch(message);
  });

  it("refuses a deactivated and then a deleted access key at once", async () => {
    const creds = makeApiUser(server, `auth-${Date.now()}`, "key-user");
    expect((await send(server.endpoint, await signedRequest(server.endpoint, "ListKeys", {}, creds))).status).toBe(200);
    expect(server.cli(["access-key", "deactivate", "--access-key-id", creds.accessKeyId]).status).toBe(0);
    // Each refusal is counted into a summary, not written by itself (the verifier's own VerifyAuditChain is the new event).
    let before = auditedEvents();
    const deactivated = await send(server.endpoint, await signedRequest(server.endpoint, "ListKeys", {}, creds));
    expect(deactivated.body.__type).toBe("UnrecognizedClientException");
    expect(auditedEvents()).toBe(before + 1);
    expect(server.cli(["access-key", "activate", "--access-key-id", creds.accessKeyId]).status).toBe(0);
    expect((await send(server.endpoint, await signedRequest(server.endpoint, "ListKeys", {}, creds))).status).toBe(200);
    expect(server.cli(["access-key", "delete", "--access-key-id", creds.accessKeyId]).status).toBe(0);
    before = auditedEvents();
    const deleted = await send(server.endpoint, await signedRequest(server.endpoint, "ListKeys", {}, creds));
    expect(deleted.body.__type).toBe("UnrecognizedClientException");
    expect(auditedEvents()).toBe(before + 1);
  });

  it("answers unknown targets, bad JSON and wrong types with AWS's exceptions", async () => {
    const unknown = await send(server.endpoint, await signedRequest(server.endpoint, "MakeCoffee", {}, ADMIN_KEY));
    expect(unknown.body.__type).toBe("UnknownOperationException");
    const badJson = await send(server.endpoint, await signedRequest(server.endpoint, "ListKeys", "{not json", ADMIN_KEY));
    expect(badJson.body.__type).toBe("SerializationException");
    const wrongType = await send(server.endpoint, await signedRequest(server.endpoint, "ListKeys", { Limit: "ten" }, ADMIN_KEY));
    expect(wrongType.body.__type).toBe("SerializationException");
    const badBlob = await send(server.endpoint, await signedRequest(server.endpoint, "Decrypt", { CiphertextBlob: "***" }, ADMIN_KEY));
    expect(badBlob.body.__type).toBe("SerializationException");
    const invalid = await send(server.endpoint, await signedRequest(server.endpoint, "ListKeys", { Limit: 0 }, ADMIN_KEY));
    expect(invalid.body.__type).toBe("ValidationException");
    expect(invalid.body.message).toBe("1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
  });

  it("rejects bodies over 1 MiB before reading them", async () => {
    const r = await signedRequest(server.endpoint, "Encrypt", { KeyId: "alias/x", Plaintext: Buffer.alloc(800_000).toString("base64") }, ADMIN_KEY);
    const res = await send(server.endpoint, r);
    expect(res.status).toBe(413);
    expect(res.body.__type).toBe("RequestEntityTooLargeException");
  });
});

describe("fuzz: random and mutated bodies never produce a 500 or hang", () => {
  const operations = Object.keys(kmsModel.operations);
  const rand = (n: number) => randomBytes(n);

  function mutate(value: unknown, depth = 0): unknown {
    const r = rand(1)[0]! % 9;
    if (depth > 3) return null;
    switch (r) {
      case 0: return rand(4).readInt32LE(0);
      case 1: return rand(rand(1)[0]! % 40).toString("base64");
      case 2: return rand(8).toString("hex");
      case 3: return [mutate(value, depth + 1), mutate(value, depth + 1)];
      case 4: return { KeyId: mutate(value, depth + 1), Plaintext: rand(16).toString("base64") };
      case 5: return true;
      case 6: return "x".repeat(rand(2).readUInt16LE(0) % 9000);
      case 7: return { [rand(3).toString("hex")]: mutate(value, depth + 1) };
      default: return null;
    }
  }

  function fuzzBody(op: string): unknown {
    const shape = kmsModel.shapes[kmsModel.operations[op]!.input ?? ""];
    const body: Record<string, unknown> = {};
    for (const member of Object.keys(shape?.members ?? {})) if (rand(1)[0]! % 2) body[member] = mutate(member);
    return rand(1)[0]! % 10 === 0 ? rand(30).toString("latin1") : body;
  }

  it("for every operation", async () => {
    let requests = 0;
    for (const op of operations) {
      for (let i = 0; i < 6; i++) {
        const controller = AbortSignal.timeout(10_000);
        const req = await signedRequest(server.endpoint, op, JSON.stringify(fuzzBody(op)), ADMIN_KEY);
        const { host: _h, ...headers } = req.headers;
        const res = await fetch(server.endpoint, { method: "POST", headers, body: req.body, signal: controller });
        const body = await res.json();
        requests++;
        // A random body is occasionally valid (e.g. ListAliases with no members): 200 is fine, 5xx never.
        expect([200, 400], `${op}: ${JSON.stringify(body)}`).toContain(res.status);
        if (res.status === 400) expect(typeof body.__type).toBe("string");
        expect(body.__type).not.toBe("KMSInternalException");
      }
    }
    expect(requests).toBe(operations.length * 6);
  });
});
