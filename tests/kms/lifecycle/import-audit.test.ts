// The import operations and GetKeyLastUsage through invokeKms (as every door
// calls them): each call is audited, and no record carries the key material,
// the wrapped material, the import token or the wrapping private key.
import { randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { wrappingKeyAad, type WrappingAlgorithm, type WrappingKeySpec } from "@/lib/crypto";
import { prisma } from "@/lib/db/client";
import { invokeKms } from "@/lib/kms/invoke";
import { rootKeyStore } from "@/lib/crypto/keystore/process";
import { unsupportedReason } from "@/lib/kms/unsupported";
import type { Principal } from "@/lib/auth/principal";
import { makeUser } from "../../helpers";
import { bytes, callers, rejection, type Callers } from "./fixtures";
import { wrapForImport } from "./import-wrap";
import { auditEvents } from "../../support/audit-rows";

let c: Callers;
let nobody: Principal;
beforeAll(async () => {
  c = await callers();
  nobody = (await makeUser(null)).principal;
});

async function call<T = Record<string, unknown>>(op: string, caller: Principal, input: unknown, requestId = randomUUID()): Promise<T> {
  return (await invokeKms(op, caller, input, { source: "console", requestId })) as T;
}

/** Every spelling of a secret an audit record could carry. */
const spellings = (b: Uint8Array) => {
  const buf = Buffer.from(b);
  return [buf.toString("base64"), buf.toString("hex"), buf.toString("base64url")].map((s) => s.slice(0, 24));
};

describe("audit of the import operations", () => {
  it("records every call and never the material, encrypted material, token or wrapping private key", async () => {
    const created = await call<{ KeyMetadata: { KeyId: string; Arn: string } }>("CreateKey", c.keyAdmin, { Origin: "EXTERNAL" });
    const keyId = created.KeyMetadata.KeyId;
    const params = await call<{ ImportToken: Uint8Array; PublicKey: Uint8Array }>("GetParametersForImport", c.keyAdmin, {
      KeyId: keyId,
      WrappingAlgorithm: "RSA_AES_KEY_WRAP_SHA_256",
      WrappingKeySpec: "RSA_2048",
    });
    const material = randomBytes(32);
    const encrypted = wrapForImport(params.PublicKey, "RSA_AES_KEY_WRAP_SHA_256", material);
    await call("ImportKeyMaterial", c.keyAdmin, { KeyId: keyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: encrypted, ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE" });
    await call("Encrypt", c.keyUser, { KeyId: keyId, Plaintext: bytes("audited") });
    await call("DeleteImportedKeyMaterial", c.keyAdmin, { KeyId: keyId });
    // A failed re-import (other material) is recorded with its error.
    const failed = await rejection(
      call("ImportKeyMaterial", c.keyAdmin, {
        KeyId: keyId,
        ImportToken: params.ImportToken,
        EncryptedKeyMaterial: wrapForImport(params.PublicKey, "RSA_AES_KEY_WRAP_SHA_256", randomBytes(32)),
        ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
      }),
    );
    expect(failed.name).toBe("IncorrectKeyMaterialException");
    await call("GetKeyLastUsage", c.auditor, { KeyId: keyId });

    const rows = await auditEvents({ where: { keyId }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.eventName, r.errorCode])).toEqual([
      ["CreateKey", null],
      ["GetParametersForImport", null],
      ["ImportKeyMaterial", null],
      ["Encrypt", null],
      ["DeleteImportedKeyMaterial", null],
      ["ImportKeyMaterial", "IncorrectKeyMaterialException"],
      ["GetKeyLastUsage", null],
    ]);
    const importEvent = JSON.parse(rows[2]!.record) as { requestParameters: Record<string, unknown>; readOnly: boolean };
    expect(importEvent.readOnly).toBe(false);
    expect(importEvent.requestParameters).toEqual({ keyId, expirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE" });

    // The wrapping private key, recovered the way the service does, for the scan only.
    const stored = await prisma.importParameters.findFirstOrThrow({ where: { keyId } });
    const privateKeyDer = await (await rootKeyStore()).unwrap(
      Buffer.from(stored.privateKeyWrapped),
      wrappingKeyAad(stored.id, keyId, stored.wrappingAlgorithm as WrappingAlgorithm, stored.wrappingKeySpec as WrappingKeySpec),
    );
    const all = (await auditEvents()).map((r) => r.record).join("\n");
    for (const [what, secret] of [
      ["material", material],
      ["encrypted material", encrypted],
      ["import token", params.ImportToken],
      ["wrapping private key", privateKeyDer.subarray(100, 400)],
      ["wrapped private key", stored.privateKeyWrapped],
    ] as const) {
      for (const s of spellings(secret)) expect(all.includes(s), `${what} in the audit trail`).toBe(false);
    }
    privateKeyDer.fill(0);
  });
});

describe("GetKeyLastUsage", () => {
  it("returns the latest successful tracked operation with its CloudTrail event ID and request ID", async () => {
    const created = await call<{ KeyMetadata: { KeyId: string; Arn: string; CreationDate: Date } }>("CreateKey", c.keyAdmin, {});
    const { KeyId: keyId, Arn: arn, CreationDate } = created.KeyMetadata;

    const before = await call<Record<string, unknown>>("GetKeyLastUsage", c.auditor, { KeyId: keyId });
    expect(before).toEqual({ KeyId: arn, TrackingStartDate: CreationDate, KeyCreationDate: CreationDate });

    const encryptRequest = randomUUID();
    const ct = await call<{ CiphertextBlob: Uint8Array }>("Encrypt", c.keyUser, { KeyId: keyId, Plaintext: bytes("x") }, encryptRequest);
    const encryptEvent = await prisma.auditEvent.findFirstOrThrow({ where: { keyId, eventName: "Encrypt" } });
    // Management calls and failed calls do not count as usage.
    await call("DescribeKey", c.keyUser, { KeyId: keyId });
    await call("TagResource", c.keyAdmin, { KeyId: keyId, Tags: [{ TagKey: "k", TagValue: "v" }] });
    await rejection(call("Encrypt", c.keyUser, { KeyId: keyId, Plaintext: bytes("x"), DryRun: true }));
    await rejection(call("Encrypt", c.auditor, { KeyId: keyId, Plaintext: bytes("x") }));

    const after = await call<{ KeyId: string; KeyLastUsage: Record<string, unknown> }>("GetKeyLastUsage", c.keyAdmin, { KeyId: arn });
    expect(after.KeyId).toBe(arn);
    expect(after.KeyLastUsage).toEqual({
      Operation: "Encrypt",
      Timestamp: encryptEvent.eventTime,
      CloudTrailEventId: encryptEvent.eventId,
      KmsRequestId: encryptRequest,
    });

    const decryptRequest = randomUUID();
    await call("Decrypt", c.keyUser, { CiphertextBlob: ct.CiphertextBlob }, decryptRequest);
    const latest = await call<{ KeyLastUsage: Record<string, unknown> }>("GetKeyLastUsage", c.auditor, { KeyId: keyId });
    expect(latest.KeyLastUsage).toMatchObject({ Operation: "Decrypt", KmsRequestId: decryptRequest });
  });

  it("counts a ReEncrypt for the destination key too", async () => {
    const a = (await call<{ KeyMetadata: { KeyId: string } }>("CreateKey", c.keyAdmin, {})).KeyMetadata.KeyId;
    const b = (await call<{ KeyMetadata: { KeyId: string } }>("CreateKey", c.keyAdmin, {})).KeyMetadata.KeyId;
    const ct = await call<{ CiphertextBlob: Uint8Array }>("Encrypt", c.keyUser, { KeyId: a, Plaintext: bytes("x") });
    const request = randomUUID();
    await call("ReEncrypt", c.keyUser, { CiphertextBlob: ct.CiphertextBlob, DestinationKeyId: b }, request);
    for (const id of [a, b]) {
      const usage = await call<{ KeyLastUsage: Record<string, unknown> }>("GetKeyLastUsage", c.auditor, { KeyId: id });
      expect(usage.KeyLastUsage).toMatchObject({ Operation: "ReEncrypt", KmsRequestId: request });
    }
  });

  it("is authorized as kms:GetKeyLastUsage and takes key IDs or ARNs only", async () => {
    const keyId = (await call<{ KeyMetadata: { KeyId: string } }>("CreateKey", c.keyAdmin, {})).KeyMetadata.KeyId;
    expect((await rejection(call("GetKeyLastUsage", nobody, { KeyId: keyId }))).name).toBe("AccessDeniedException");
    await call("CreateAlias", c.keyAdmin, { AliasName: `alias/last-usage-${keyId.slice(0, 8)}`, TargetKeyId: keyId });
    expect((await rejection(call("GetKeyLastUsage", c.auditor, { KeyId: `alias/last-usage-${keyId.slice(0, 8)}` }))).name).toBe(
      "NotFoundException",
    );
    const denied = await prisma.auditEvent.findFirst({ where: { keyId, eventName: "GetKeyLastUsage", errorCode: "AccessDeniedException" } });
    expect(denied).not.toBeNull();
  });
});

describe("unsupported operations", () => {
  it("only multi-Region operations remain, with the reason", async () => {
    expect(unsupportedReason("ReplicateKey")).toContain("Multi-Region");
    const e = await rejection(call("ReplicateKey", c.admin, { KeyId: "alias/x", ReplicaRegion: "eu-west-1" }));
    expect(e.name).toBe("UnsupportedOperationException");
    // Custom key stores are implemented now (tests/compat/custom-key-stores.test.ts).
    expect((await rejection(call("ConnectCustomKeyStore", c.admin, { CustomKeyStoreId: "cks-1" }))).name).toBe("CustomKeyStoreNotFoundException");
    const model = (await import("@/lib/api/kms-model.json")).default as { operations: Record<string, unknown> };
    const { kmsOperations } = await import("@/lib/kms");
    const missing = Object.keys(model.operations).filter((op) => !kmsOperations[op]);
    expect(missing.every((op) => /^ReplicateKey$|^UpdatePrimaryRegion$/.test(op)), missing.join(", ")).toBe(true);
  });
});
