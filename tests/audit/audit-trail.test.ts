// The audit trail: one event per call with the right fields, no secrets,
// fail-closed writes, and tamper detection by the verifier.
import { randomBytes, randomUUID } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditTrail } from "@/lib/audit/verify";
import { writeAuditEvent } from "@/lib/audit";
import { auditWriter, MAX_BATCH_EVENTS } from "@/lib/audit/writer";
import { prisma } from "@/lib/db/client";
import { invokeKms } from "@/lib/kms/invoke";
import type { Principal } from "@/lib/auth/principal";
import { makeUser } from "../helpers";
import { recordSecretsIn } from "../secret-registry";
import { auditEvents, storedBody, tamperRecord } from "../support/audit-rows";

let admin: Principal;
let user: Principal;
beforeAll(async () => {
  admin = (await makeUser("KEY_ADMINISTRATOR")).principal;
  user = (await makeUser("KEY_USER")).principal;
});

async function call(op: string, caller: Principal, input: unknown) {
  const requestId = randomUUID();
  let result: Record<string, unknown> | undefined;
  let error: { name: string } | undefined;
  recordSecretsIn(input, `${op} request`);
  try {
    result = (await invokeKms(op, caller, input, { source: "console", requestId })) as Record<string, unknown>;
    recordSecretsIn(result, `${op} response`);
  } catch (e) {
    error = e as { name: string };
  }
  const rows = await auditEvents({}, requestId);
  return { result, error, rows, records: rows.map((r) => JSON.parse(r.record)) };
}

describe("audit events", () => {
  it("records exactly one CloudTrail-shaped event per call, success or failure", async () => {
    const created = await call("CreateKey", admin, { Description: "audited" });
    expect(created.rows).toHaveLength(1);
    const keyArn = (created.result!.KeyMetadata as { Arn: string }).Arn;
    const keyId = keyArn.split("/")[1]!;
    const ev = created.records[0];
    expect(ev).toMatchObject({
      eventVersion: "1.08",
      eventSource: "kms.amazonaws.com",
      eventName: "CreateKey",
      awsRegion: "us-east-1",
      readOnly: false,
      eventType: "AwsApiCall",
      managementEvent: true,
      eventCategory: "Management",
      userIdentity: { type: "IAMUser", arn: admin.arn, userName: admin.username, accountId: admin.accountId },
      resources: [{ ARN: keyArn, type: "AWS::KMS::Key", accountId: admin.accountId }],
      requestParameters: { description: "audited" },
    });
    expect(ev.eventID).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.rows[0]!.keyId).toBe(keyId);

    const enc = await call("Encrypt", user, { KeyId: keyArn, Plaintext: Buffer.from("audit me"), EncryptionContext: { dept: "x" } });
    expect(enc.rows).toHaveLength(1);
    expect(enc.records[0]).toMatchObject({
      eventName: "Encrypt",
      readOnly: true,
      requestParameters: { keyId: keyArn, encryptionContext: { dept: "x" } },
      responseElements: null,
      additionalEventData: { keyMaterialId: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(enc.records[0].requestParameters).not.toHaveProperty("plaintext");

    const denied = await call("CreateKey", user, {});
    expect(denied.error?.name).toBe("AccessDeniedException");
    expect(denied.rows).toHaveLength(1);
    expect(denied.records[0]).toMatchObject({ eventName: "CreateKey", errorCode: "AccessDeniedException" });
    expect(denied.records[0].errorMessage).toContain(user.arn);

    const invalid = await call("Encrypt", user, { KeyId: keyArn });
    expect(invalid.error?.name).toBe("ValidationException");
    expect(invalid.rows).toHaveLength(1);
    expect(invalid.rows[0]!.errorCode).toBe("ValidationException");

    const missing = await call("DescribeKey", user, { KeyId: "alias/none-such" });
    expect(missing.rows[0]!.errorCode).toBe("NotFoundException");

    const unsupported = await call("ReplicateKey", admin, { KeyId: keyId, ReplicaRegion: "eu-west-1" });
    expect(unsupported.rows).toHaveLength(1);
    expect(unsupported.rows[0]!.errorCode).toBe("UnsupportedOperationException");
  });

  it("never records plaintext, data keys, ciphertext or signatures", async () => {
    const secrets: Buffer[] = [];
    const { result } = await call("CreateKey", admin, {});
    const keyId = (result!.KeyMetadata as { KeyId: string }).KeyId;
    const plaintext = randomBytes(48);
    secrets.push(plaintext);
    const enc = await call("Encrypt", user, { KeyId: keyId, Plaintext: plaintext });
    secrets.push(enc.result!.CiphertextBlob as Buffer);
    const dk = await call("GenerateDataKey", user, { KeyId: keyId, KeySpec: "AES_256" });
    secrets.push(dk.result!.Plaintext as Buffer, dk.result!.CiphertextBlob as Buffer);
    const dec = await call("Decrypt", user, { CiphertextBlob: dk.result!.CiphertextBlob });
    secrets.push(dec.result!.Plaintext as Buffer);
    const signing = await call("CreateKey", admin, { KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" });
    const sig = await call("Sign", user, { KeyId: (signing.result!.KeyMetadata as { KeyId: string }).KeyId, Message: randomBytes(32), SigningAlgorithm: "ECDSA_SHA_256" });
    secrets.push(sig.result!.Signature as Buffer);

    const all = (await auditEvents()).map((r) => r.record).join("\n");
    for (const s of secrets) {
      for (const form of [s.toString("base64"), s.toString("hex"), s.toString("base64url")]) expect(all).not.toContain(form);
    }
  });
});

describe("fail closed", () => {
  afterEach(async () => {
    await prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS audit_unwritable ON "AuditEvent"`);
  });

  it("refuses calls whose event cannot be written, returning nothing", async () => {
    const { result } = await call("CreateKey", admin, {});
    const keyId = (result!.KeyMetadata as { KeyId: string }).KeyId;
    await prisma.$executeRawUnsafe(
      `CREATE OR REPLACE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit table is read-only'; END $$`,
    );
    await prisma.$executeRawUnsafe(`CREATE TRIGGER audit_unwritable BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION audit_refuse()`);
    const plaintext = randomBytes(16);
    const attempt = await call("Encrypt", user, { KeyId: keyId, Plaintext: plaintext });
    expect(attempt.result).toBeUndefined();
    expect(attempt.error?.name).toBe("KMSInternalException");
    expect((attempt.error as unknown as Error).message).not.toContain(plaintext.toString("base64"));
    const gdk = await call("GenerateDataKey", user, { KeyId: keyId, NumberOfBytes: 32 });
    expect(gdk.result).toBeUndefined();
    expect(gdk.error?.name).toBe("KMSInternalException");
    await prisma.$executeRawUnsafe(`DROP TRIGGER audit_unwritable ON "AuditEvent"`);
    // Writable again: calls work and the chain is still intact (no half-written batch).
    expect((await call("Encrypt", user, { KeyId: keyId, Plaintext: plaintext })).result).toBeDefined();
    expect((await verifyAuditTrail()).ok).toBe(true);
  });
});

describe("group commit", () => {
  it("commits a burst larger than one INSERT holds: every caller answered once its event is in, the chain unbroken", async () => {
    const tag = `burst-${randomUUID()}`;
    const count = MAX_BATCH_EVENTS + 150; // more than one statement, and batch sizes past the prepared ones
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        writeAuditEvent({ eventName: "ListKeys", caller: user, via: "console", readOnly: true, requestId: `${tag}-${i}`, sourceIp: "10.0.0.9" }),
      ),
    );
    const rows = await auditEvents({ where: { eventName: "ListKeys", sourceIp: "10.0.0.9" }, orderBy: { chainSeq: "asc" } }, tag);
    expect(rows).toHaveLength(count);
    const records = rows.map((r) => JSON.parse(r.record) as { requestID: string; eventID: string; eventTime: string; userIdentity: { arn: string } });
    expect(new Set(records.map((r) => r.requestID)).size).toBe(count);
    // The columns the timeline filters on are the record's own values.
    for (const [i, r] of records.entries()) {
      expect(rows[i]!.eventId).toBe(r.eventID);
      expect(rows[i]!.eventTime.toISOString()).toBe(r.eventTime);
      expect(rows[i]!.principalArn).toBe(r.userIdentity.arn);
      expect(rows[i]!.keyId).toBeNull();
      expect(rows[i]!.readOnly).toBe(true);
    }
    const seqs = rows.map((r) => r.chainSeq);
    expect(new Set(rows.map((r) => r.chainId)).size).toBe(1);
    expect(seqs[seqs.length - 1]! - seqs[0]!).toBe(count - 1); // consecutive: no other writer ran meanwhile in this test
    expect((await verifyAuditTrail()).ok).toBe(true);
  });
});

describe("tamper detection", () => {
  async function lastEvents(n: number) {
    const writerEvent = await call("ListKeys", user, {});
    const chainId = writerEvent.rows[0]!.chainId;
    await auditWriter().digest();
    const rows = await auditEvents({ where: { chainId }, orderBy: { chainSeq: "desc" }, take: n });
    return rows.reverse();
  }

  it("starts from an intact trail", async () => {
    await lastEvents(1);
    const report = await verifyAuditTrail();
    expect(report.firstProblem).toBeUndefined();
    expect(report.ok).toBe(true);
  });

  it("names a changed event", async () => {
    const [a, b] = await lastEvents(3);
    const forged = b!.record.replace('"readOnly":true', '"readOnly":false');
    const restore = await tamperRecord(b!.id, forged);
    try {
      const report = await verifyAuditTrail();
      expect(report.ok).toBe(false);
      expect(report.firstProblem).toMatchObject({ kind: "changed", chainSeq: b!.chainSeq, eventId: b!.eventId, chainId: a!.chainId });
    } finally {
      await restore();
    }
    expect((await verifyAuditTrail()).ok).toBe(true);
  });

  it("names a removed event", async () => {
    const [, b] = await lastEvents(3);
    await prisma.auditEvent.delete({ where: { id: b!.id } });
    try {
      const report = await verifyAuditTrail();
      expect(report.firstProblem).toMatchObject({ kind: "missing", chainSeq: b!.chainSeq });
    } finally {
      await prisma.auditEvent.create({ data: { ...b!, record: null } }); // its body is the original
    }
    expect((await verifyAuditTrail()).ok).toBe(true);
  });

  it("detects reordered events", async () => {
    const [a, b] = await lastEvents(2);
    // Swap positions: a moves to b's place and the other way round.
    await prisma.$transaction([
      prisma.auditEvent.update({ where: { id: a!.id }, data: { chainSeq: -1 } }),
      prisma.auditEvent.update({ where: { id: b!.id }, data: { chainSeq: a!.chainSeq } }),
      prisma.auditEvent.update({ where: { id: a!.id }, data: { chainSeq: b!.chainSeq } }),
    ]);
    try {
      const report = await verifyAuditTrail();
      expect(report.ok).toBe(false);
      expect(report.firstProblem!.chainSeq).toBe(a!.chainSeq);
    } finally {
      await prisma.$transaction([
        prisma.auditEvent.update({ where: { id: a!.id }, data: { chainSeq: -1 } }),
        prisma.auditEvent.update({ where: { id: b!.id }, data: { chainSeq: b!.chainSeq } }),
        prisma.auditEvent.update({ where: { id: a!.id }, data: { chainSeq: a!.chainSeq } }),
      ]);
    }
    expect((await verifyAuditTrail()).ok).toBe(true);
  });

  it("detects an inserted event", async () => {
    const [, b] = await lastEvents(2);
    // Make room after `a` and insert a forged event there.
    await prisma.auditEvent.update({ where: { id: b!.id }, data: { chainSeq: b!.chainSeq + 1000 } });
    const forged = await prisma.auditEvent.create({
      data: { ...b!, id: undefined, eventId: randomUUID(), chainSeq: b!.chainSeq, record: null, body: storedBody(b!.record.replace(b!.eventId, randomUUID())) },
    });
    try {
      const report = await verifyAuditTrail();
      expect(report.ok).toBe(false);
      expect(report.firstProblem!.chainSeq).toBe(b!.chainSeq);
    } finally {
      await prisma.auditEvent.delete({ where: { id: forged.id } });
      await prisma.auditEvent.update({ where: { id: b!.id }, data: { chainSeq: b!.chainSeq } });
    }
    expect((await verifyAuditTrail()).ok).toBe(true);
  });

  it("detects a forged digest signature", async () => {
    await lastEvents(1);
    const digest = await prisma.auditDigest.findFirstOrThrow({ orderBy: { id: "desc" } });
    const sig = Buffer.from(digest.signature, "base64");
    sig[sig.length - 1]! ^= 1;
    await prisma.auditDigest.update({ where: { id: digest.id }, data: { signature: sig.toString("base64") } });
    try {
      const report = await verifyAuditTrail();
      expect(report.firstProblem).toMatchObject({ kind: "digest-signature" });
    } finally {
      await prisma.auditDigest.update({ where: { id: digest.id }, data: { signature: digest.signature } });
    }
  });

  it("detects events removed from the end of a chain that a digest covered", async () => {
    const [last] = await lastEvents(1);
    await prisma.auditEvent.delete({ where: { id: last!.id } });
    try {
      const report = await verifyAuditTrail();
      expect(report.firstProblem).toMatchObject({ kind: "truncated" });
    } finally {
      await prisma.auditEvent.create({ data: { ...last!, record: null } }); // its body is the original
    }
  });
});
