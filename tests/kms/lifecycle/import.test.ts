// Bring your own key: CreateKey (Origin EXTERNAL) → GetParametersForImport →
// ImportKeyMaterial → use → DeleteImportedKeyMaterial → re-import, with every
// wrapping algorithm, the token and material errors, key states, and expiry.
import { createHmac, createPublicKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { decryptSymmetric } from "@/lib/crypto";
import { prisma } from "@/lib/db/client";
import { DAY_MS } from "@/lib/kms/clock";
import { deleteExpiredKeyMaterial, purgeExpiredImportParameters } from "@/lib/kms/import/expiry";
import { keyMaterialId } from "@/lib/kms/metadata";
import { decrypt } from "@/lib/kms/operations/decrypt";
import { deleteImportedKeyMaterial } from "@/lib/kms/operations/delete-imported-key-material";
import { cancelKeyDeletion, scheduleKeyDeletion } from "@/lib/kms/operations/deletion";
import { describeKey } from "@/lib/kms/operations/describe-key";
import { disableKey, enableKey } from "@/lib/kms/operations/enable-disable-key";
import { encrypt } from "@/lib/kms/operations/encrypt";
import { getParametersForImport } from "@/lib/kms/operations/get-parameters-for-import";
import { importKeyMaterial } from "@/lib/kms/operations/import-key-material";
import { generateMac } from "@/lib/kms/operations/mac";
import { enableKeyRotation, rotateKeyOnDemand } from "@/lib/kms/operations/rotation";
import { createKey } from "@/lib/kms/operations/create-key";
import { bytes, callers, freezeClock, newKey, rejection, restoreClock, type Callers } from "./fixtures";
import { WRAPPING_ALGORITHMS, wrapForImport, type WrappingAlgorithm } from "./import-wrap";

let c: Callers;
beforeAll(async () => {
  c = await callers();
});
afterEach(restoreClock);

const T0 = new Date("2033-03-01T00:00:00Z");

async function externalKey(input: Record<string, unknown> = {}) {
  return newKey(c.keyAdmin, { Origin: "EXTERNAL", ...input });
}

/** GetParametersForImport + wrap + ImportKeyMaterial, as a BYOK user does. */
async function importInto(
  keyId: string,
  material: Uint8Array,
  algorithm: WrappingAlgorithm = "RSAES_OAEP_SHA_256",
  extra: Record<string, unknown> = {},
  spec = "RSA_2048",
) {
  const params = await getParametersForImport(c.keyAdmin, { KeyId: keyId, WrappingAlgorithm: algorithm, WrappingKeySpec: spec });
  return importKeyMaterial(c.keyAdmin, {
    KeyId: keyId,
    ImportToken: params.ImportToken,
    EncryptedKeyMaterial: wrapForImport(params.PublicKey, algorithm, material),
    // AWS's default model is KEY_MATERIAL_EXPIRES (ValidTo required): these tests say which they mean.
    ...("ExpirationModel" in extra || "ValidTo" in extra ? {} : { ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE" }),
    ...extra,
  });
}

const state = async (keyId: string) => (await describeKey(c.auditor, { KeyId: keyId })).KeyMetadata.KeyState;

describe("CreateKey with Origin EXTERNAL", () => {
  it("creates a key in PendingImport with no material", async () => {
    const key = await externalKey({ Description: "byok" });
    const { KeyMetadata } = await describeKey(c.auditor, { KeyId: key.id });
    expect(KeyMetadata).toMatchObject({ Origin: "EXTERNAL", KeyState: "PendingImport", Enabled: false });
    expect(KeyMetadata).not.toHaveProperty("CurrentKeyMaterialId");
    expect(KeyMetadata).not.toHaveProperty("ExpirationModel");
    expect(await prisma.keyMaterial.count({ where: { keyId: key.id } })).toBe(0);
  });

  it("takes HMAC, RSA and ECC specs but refuses Ed25519 and ML-DSA with UnsupportedOperationException", async () => {
    const hmac = await externalKey({ KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" });
    expect(await state(hmac.id)).toBe("PendingImport");
    const rsa = await externalKey({ KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" });
    expect(await state(rsa.id)).toBe("PendingImport");
    for (const KeySpec of ["ECC_NIST_EDWARDS25519", "ML_DSA_44"]) {
      const e = await rejection(createKey(c.keyAdmin, { Origin: "EXTERNAL", KeySpec, KeyUsage: "SIGN_VERIFY" }));
      expect(e.name).toBe("UnsupportedOperationException");
      expect(e.message).toContain(KeySpec);
    }
  });
});

describe("GetParametersForImport", () => {
  it.each(["RSA_2048", "RSA_3072", "RSA_4096"])("returns a fresh %s public key (DER SPKI), a token and a 24-hour validity", async (spec) => {
    freezeClock(T0);
    const key = await externalKey();
    const a = await getParametersForImport(c.keyAdmin, { KeyId: key.arn, WrappingAlgorithm: "RSAES_OAEP_SHA_256", WrappingKeySpec: spec });
    const b = await getParametersForImport(c.keyAdmin, { KeyId: key.id, WrappingAlgorithm: "RSAES_OAEP_SHA_256", WrappingKeySpec: spec });
    expect(a.KeyId).toBe(key.arn);
    expect(a.ParametersValidTo).toEqual(new Date(T0.getTime() + DAY_MS));
    const pub = createPublicKey({ key: a.PublicKey, format: "der", type: "spki" });
    expect(pub.asymmetricKeyType).toBe("rsa");
    expect(pub.asymmetricKeyDetails?.modulusLength).toBe(Number(spec.slice(4)));
    expect(Buffer.from(a.PublicKey).equals(Buffer.from(b.PublicKey))).toBe(false);
    expect(Buffer.from(a.ImportToken).equals(Buffer.from(b.ImportToken))).toBe(false);
    // The stored private key is wrapped (AES-GCM blob), never DER in clear.
    const rows = await prisma.importParameters.findMany({ where: { keyId: key.id } });
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(Buffer.from(row.privateKeyWrapped)[0]).not.toBe(0x30);
  });

  it("refuses keys not of Origin EXTERNAL, keys pending deletion, withdrawn algorithms and unknown values", async () => {
    const kmsKey = await newKey(c.keyAdmin);
    const args = { WrappingAlgorithm: "RSAES_OAEP_SHA_256", WrappingKeySpec: "RSA_2048" };
    expect((await rejection(getParametersForImport(c.keyAdmin, { KeyId: kmsKey.id, ...args }))).name).toBe("UnsupportedOperationException");
    const ext = await externalKey();
    for (const [input, name] of [
      [{ WrappingAlgorithm: "RSAES_PKCS1_V1_5", WrappingKeySpec: "RSA_2048" }, "UnsupportedOperationException"],
      [{ WrappingAlgorithm: "RSAES_OAEP_SHA_256", WrappingKeySpec: "SM2" }, "UnsupportedOperationException"],
      [{ WrappingAlgorithm: "RSA_OAEP", WrappingKeySpec: "RSA_2048" }, "ValidationException"],
      [{ WrappingAlgorithm: "RSAES_OAEP_SHA_256", WrappingKeySpec: "RSA_1024" }, "ValidationException"],
    ] as const) {
      expect((await rejection(getParametersForImport(c.keyAdmin, { KeyId: ext.id, ...input }))).name).toBe(name);
    }
    expect((await rejection(getParametersForImport(c.keyAdmin, { KeyId: "alias/nope", ...args }))).name).toBe("NotFoundException");
    await scheduleKeyDeletion(c.keyAdmin, { KeyId: ext.id, PendingWindowInDays: 7 });
    expect((await rejection(getParametersForImport(c.keyAdmin, { KeyId: ext.id, ...args }))).name).toBe("KMSInvalidStateException");
  });

  it("is refused to a key user (no kms:GetParametersForImport)", async () => {
    const key = await externalKey();
    const e = await rejection(getParametersForImport(c.keyUser, { KeyId: key.id, WrappingAlgorithm: "RSAES_OAEP_SHA_256", WrappingKeySpec: "RSA_2048" }));
    expect(e.name).toBe("AccessDeniedException");
  });
});

describe("ImportKeyMaterial round trip", () => {
  it.each(WRAPPING_ALGORITHMS)("%s: imports, the key is Enabled and encrypts under exactly that material", async (algorithm) => {
    const key = await externalKey();
    const material = randomBytes(32);
    const out = await importInto(key.id, material, algorithm);
    expect(out).toEqual({ KeyId: key.arn, KeyMaterialId: keyMaterialId(key.id, 1) });
    const { KeyMetadata } = await describeKey(c.auditor, { KeyId: key.id });
    expect(KeyMetadata).toMatchObject({
      KeyState: "Enabled",
      Enabled: true,
      ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
      CurrentKeyMaterialId: keyMaterialId(key.id, 1),
    });
    expect(KeyMetadata).not.toHaveProperty("ValidTo");
    const ct = await encrypt(c.keyUser, { KeyId: key.id, Plaintext: bytes("bring your own key"), EncryptionContext: { a: "b" } });
    const pt = await decrypt(c.keyUser, { CiphertextBlob: ct.CiphertextBlob, EncryptionContext: { a: "b" } });
    expect(Buffer.from(pt.Plaintext).toString()).toBe("bring your own key");
    // The owner of the material can decrypt the blob without Keyhold: it really is their key.
    expect(decryptSymmetric(material, ct.CiphertextBlob, { a: "b" }).toString()).toBe("bring your own key");
    // Stored only wrapped: the row never holds the material.
    const row = await prisma.keyMaterial.findUniqueOrThrow({ where: { keyId_version: { keyId: key.id, version: 1 } } });
    expect(Buffer.from(row.wrapped).includes(material)).toBe(false);
  });

  it("imports with an RSA_4096 wrapping key", async () => {
    const key = await externalKey();
    await importInto(key.id, randomBytes(32), "RSA_AES_KEY_WRAP_SHA_256", {}, "RSA_4096");
    expect(await state(key.id)).toBe("Enabled");
  });

  it("imports HMAC material of any length AWS allows; GenerateMac uses it", async () => {
    const key = await externalKey({ KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" });
    const material = randomBytes(48);
    await importInto(key.id, material, "RSA_AES_KEY_WRAP_SHA_1");
    const mac = await generateMac(c.keyUser, { KeyId: key.id, Message: bytes("m"), MacAlgorithm: "HMAC_SHA_256" });
    expect(Buffer.from(mac.Mac).equals(createHmac("sha256", material).update("m").digest())).toBe(true);
    const short = await externalKey({ KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" });
    expect((await rejection(importInto(short.id, randomBytes(16)))).name).toBe("IncorrectKeyMaterialException");
  });

  it("refuses material of the wrong size for SYMMETRIC_DEFAULT with IncorrectKeyMaterialException", async () => {
    const key = await externalKey();
    for (const n of [16, 31, 33, 64]) {
      const e = await rejection(importInto(key.id, randomBytes(n), "RSA_AES_KEY_WRAP_SHA_256"));
      expect(e.name).toBe("IncorrectKeyMaterialException");
      expect(e.message).toContain("32 bytes");
    }
    expect(await state(key.id)).toBe("PendingImport");
  });
});

describe("DeleteImportedKeyMaterial and re-import", () => {
  it("deletion makes old ciphertexts undecryptable; the same material restores them; other material is refused", async () => {
    const key = await externalKey();
    const material = randomBytes(32);
    await importInto(key.id, material, "RSAES_OAEP_SHA_1");
    const ct = await encrypt(c.keyUser, { KeyId: key.id, Plaintext: bytes("kept") });

    expect(await deleteImportedKeyMaterial(c.keyAdmin, { KeyId: key.id })).toEqual({ KeyId: key.arn, KeyMaterialId: keyMaterialId(key.id, 1) });
    expect(await prisma.keyMaterial.count({ where: { keyId: key.id } })).toBe(0);
    const { KeyMetadata } = await describeKey(c.auditor, { KeyId: key.id });
    expect(KeyMetadata.KeyState).toBe("PendingImport");
    expect(KeyMetadata).not.toHaveProperty("ExpirationModel");
    expect((await rejection(decrypt(c.keyUser, { CiphertextBlob: ct.CiphertextBlob }))).name).toBe("KMSInvalidStateException");
    expect((await rejection(encrypt(c.keyUser, { KeyId: key.id, Plaintext: bytes("x") }))).name).toBe("KMSInvalidStateException");
    // Deleting again (nothing imported) succeeds, as AWS.
    await deleteImportedKeyMaterial(c.keyAdmin, { KeyId: key.id });

    const other = await rejection(importInto(key.id, randomBytes(32), "RSA_AES_KEY_WRAP_SHA_256"));
    expect(other.name).toBe("IncorrectKeyMaterialException");
    expect(await state(key.id)).toBe("PendingImport");

    // Same material, another wrapping algorithm and key: accepted, old ciphertext decrypts again.
    await importInto(key.id, material, "RSA_AES_KEY_WRAP_SHA_256", { ImportType: "EXISTING_KEY_MATERIAL" });
    expect(await state(key.id)).toBe("Enabled");
    const pt = await decrypt(c.keyUser, { CiphertextBlob: ct.CiphertextBlob });
    expect(Buffer.from(pt.Plaintext).toString()).toBe("kept");
  });

  it("refuses different material while the first is imported, and NEW_KEY_MATERIAL once material was imported", async () => {
    const key = await externalKey();
    const material = randomBytes(32);
    await importInto(key.id, material);
    expect((await rejection(importInto(key.id, randomBytes(32)))).name).toBe("IncorrectKeyMaterialException");
    // The same material again as NEW_KEY_MATERIAL: it is already the key's.
    expect((await rejection(importInto(key.id, material, "RSAES_OAEP_SHA_256", { ImportType: "NEW_KEY_MATERIAL" }))).name).toBe(
      "ValidationException",
    );
    // Re-importing the same material while Enabled changes only its expiration.
    freezeClock(T0);
    await importInto(key.id, material, "RSAES_OAEP_SHA_256", { ValidTo: new Date(T0.getTime() + 10 * DAY_MS) });
    expect((await describeKey(c.auditor, { KeyId: key.id })).KeyMetadata).toMatchObject({
      KeyState: "Enabled",
      ExpirationModel: "KEY_MATERIAL_EXPIRES",
      ValidTo: new Date(T0.getTime() + 10 * DAY_MS),
    });
  });

  it("a key with no import yet refuses EXISTING_KEY_MATERIAL; a wrong KeyMaterialId is NotFound", async () => {
    const key = await externalKey();
    expect((await rejection(importInto(key.id, randomBytes(32), "RSAES_OAEP_SHA_256", { ImportType: "EXISTING_KEY_MATERIAL" }))).name).toBe(
      "ValidationException",
    );
    // KeyMaterialId goes with EXISTING_KEY_MATERIAL only.
    expect((await rejection(importInto(key.id, randomBytes(32), "RSAES_OAEP_SHA_256", { KeyMaterialId: "0".repeat(64) }))).name).toBe(
      "ValidationException",
    );
    expect((await rejection(deleteImportedKeyMaterial(c.keyAdmin, { KeyId: key.id, KeyMaterialId: "0".repeat(64) }))).name).toBe(
      "NotFoundException",
    );
  });

  it("a Disabled key stays Disabled after re-import; only keys of Origin EXTERNAL take the operations", async () => {
    const key = await externalKey();
    const material = randomBytes(32);
    await importInto(key.id, material);
    await disableKey(c.keyAdmin, { KeyId: key.id });
    await importInto(key.id, material);
    expect(await state(key.id)).toBe("Disabled");
    await deleteImportedKeyMaterial(c.keyAdmin, { KeyId: key.id });
    expect(await state(key.id)).toBe("PendingImport");
    expect((await rejection(enableKey(c.keyAdmin, { KeyId: key.id }))).name).toBe("KMSInvalidStateException");
    await importInto(key.id, material);
    expect(await state(key.id)).toBe("Enabled");

    const kmsKey = await newKey(c.keyAdmin);
    expect((await rejection(deleteImportedKeyMaterial(c.keyAdmin, { KeyId: kmsKey.id }))).name).toBe("UnsupportedOperationException");
  });

  it("keys pending deletion refuse import and deletion of material; cancelling brings back a key without material as PendingImport", async () => {
    const key = await externalKey();
    const material = randomBytes(32);
    const params = await getParametersForImport(c.keyAdmin, { KeyId: key.id, WrappingAlgorithm: "RSAES_OAEP_SHA_256", WrappingKeySpec: "RSA_2048" });
    await scheduleKeyDeletion(c.keyAdmin, { KeyId: key.id, PendingWindowInDays: 7 });
    const e = await rejection(
      importKeyMaterial(c.keyAdmin, {
        KeyId: key.id,
        ImportToken: params.ImportToken,
        EncryptedKeyMaterial: wrapForImport(params.PublicKey, "RSAES_OAEP_SHA_256", material),
      }),
    );
    expect(e.name).toBe("KMSInvalidStateException");
    expect((await rejection(deleteImportedKeyMaterial(c.keyAdmin, { KeyId: key.id }))).name).toBe("KMSInvalidStateException");
    await cancelKeyDeletion(c.keyAdmin, { KeyId: key.id });
    expect(await state(key.id)).toBe("PendingImport");
  });

  it("imported keys have no automatic rotation; on demand only to imported material pending rotation", async () => {
    const key = await externalKey();
    await importInto(key.id, randomBytes(32));
    expect((await rejection(enableKeyRotation(c.keyAdmin, { KeyId: key.id }))).name).toBe("UnsupportedOperationException");
    expect(await rejection(rotateKeyOnDemand(c.keyAdmin, { KeyId: key.id }))).toMatchObject({
      name: "KMSInvalidStateException",
      message: `No available key material pending rotation for the key: ${key.arn}.`,
    });
  });

  it("a key user may not import or delete material", async () => {
    const key = await externalKey();
    expect((await rejection(deleteImportedKeyMaterial(c.keyUser, { KeyId: key.id }))).name).toBe("AccessDeniedException");
    expect((await rejection(importKeyMaterial(c.keyUser, { KeyId: key.id, ImportToken: randomBytes(77), EncryptedKeyMaterial: randomBytes(256) }))).name).toBe(
      "AccessDeniedException",
    );
  });
});

describe("Import tokens and encrypted material", () => {
  async function prepared(algorithm: WrappingAlgorithm = "RSAES_OAEP_SHA_256") {
    const key = await externalKey();
    const params = await getParametersForImport(c.keyAdmin, { KeyId: key.id, WrappingAlgorithm: algorithm, WrappingKeySpec: "RSA_2048" });
    const material = randomBytes(32);
    return { key, params, material, wrapped: wrapForImport(params.PublicKey, algorithm, material) };
  }

  it("refuses a token past its 24 hours with ExpiredImportTokenException, even after the parameters were purged", async () => {
    freezeClock(T0);
    const { key, params, wrapped } = await prepared();
    freezeClock(new Date(T0.getTime() + DAY_MS + 1));
    const req = { KeyId: key.id, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapped, ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE" };
    expect((await rejection(importKeyMaterial(c.keyAdmin, req))).name).toBe("ExpiredImportTokenException");
    expect(await purgeExpiredImportParameters()).toBeGreaterThanOrEqual(1);
    expect(await prisma.importParameters.count({ where: { keyId: key.id } })).toBe(0);
    expect((await rejection(importKeyMaterial(c.keyAdmin, req))).name).toBe("ExpiredImportTokenException");
  });

  it("refuses forged, altered or foreign tokens with InvalidImportTokenException", async () => {
    const { key, params, wrapped } = await prepared();
    const other = await prepared();
    const token = Buffer.from(params.ImportToken);
    const tries: Buffer[] = [randomBytes(token.length), randomBytes(16), other.params.ImportToken];
    for (const i of [0, 5, 21, 40, token.length - 1]) {
      const t = Buffer.from(token);
      t[i]! ^= 0x01;
      tries.push(t);
    }
    // Expiry pushed forward without the MAC: refused as invalid, not honoured.
    const later = Buffer.from(token);
    later.writeBigUInt64BE(later.readBigUInt64BE(37) + BigInt(365 * DAY_MS), 37);
    tries.push(later);
    for (const t of tries) {
      const e = await rejection(importKeyMaterial(c.keyAdmin, { KeyId: key.id, ImportToken: t, EncryptedKeyMaterial: wrapped, ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE" }));
      expect(e.name).toBe("InvalidImportTokenException");
    }
    expect(await state(key.id)).toBe("PendingImport");
  });

  it("refuses material wrapped under another key or with another algorithm with InvalidCiphertextException", async () => {
    const { key, params, material } = await prepared("RSAES_OAEP_SHA_256");
    const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "der" });
    const cases = [
      wrapForImport(stranger, "RSAES_OAEP_SHA_256", material),
      wrapForImport(params.PublicKey, "RSAES_OAEP_SHA_1", material),
      wrapForImport(params.PublicKey, "RSA_AES_KEY_WRAP_SHA_256", material),
      randomBytes(256),
    ];
    for (const EncryptedKeyMaterial of cases) {
      const e = await rejection(importKeyMaterial(c.keyAdmin, { KeyId: key.id, ImportToken: params.ImportToken, EncryptedKeyMaterial, ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE" }));
      expect(e.name).toBe("InvalidCiphertextException");
    }
    // A flipped byte in the AES-KWP part of RSA_AES_KEY_WRAP fails its integrity check.
    const kw = await prepared("RSA_AES_KEY_WRAP_SHA_1");
    const tampered = Buffer.from(kw.wrapped);
    tampered[tampered.length - 3]! ^= 0x80;
    const e = await rejection(importKeyMaterial(c.keyAdmin, { KeyId: kw.key.id, ImportToken: kw.params.ImportToken, EncryptedKeyMaterial: tampered, ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE" }));
    expect(e.name).toBe("InvalidCiphertextException");
  });

  it("a token is usable again within its validity (re-import after deletion)", async () => {
    const { key, params, wrapped } = await prepared();
    const req = { KeyId: key.id, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapped, ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE" };
    await importKeyMaterial(c.keyAdmin, req);
    await deleteImportedKeyMaterial(c.keyAdmin, { KeyId: key.id });
    await importKeyMaterial(c.keyAdmin, req);
    expect(await state(key.id)).toBe("Enabled");
  });
});

describe("Expiring key material", () => {
  it("validates ExpirationModel and ValidTo as AWS", async () => {
    freezeClock(T0);
    const key = await externalKey();
    const material = randomBytes(32);
    const bad: Array<Record<string, unknown>> = [
      { ExpirationModel: "KEY_MATERIAL_EXPIRES" },
      { ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE", ValidTo: new Date(T0.getTime() + DAY_MS) },
      { ValidTo: new Date(T0.getTime() + 60_000) },
      { ValidTo: new Date(T0.getTime() + 366 * DAY_MS) },
      { ExpirationModel: "SOMETIMES" },
    ];
    for (const extra of bad) expect((await rejection(importInto(key.id, material, "RSAES_OAEP_SHA_256", extra))).name).toBe("ValidationException");
    // No ExpirationModel: AWS's default is KEY_MATERIAL_EXPIRES, so ValidTo is required.
    const params = await getParametersForImport(c.keyAdmin, { KeyId: key.id, WrappingAlgorithm: "RSAES_OAEP_SHA_256", WrappingKeySpec: "RSA_2048" });
    const bare = { KeyId: key.id, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapForImport(params.PublicKey, "RSAES_OAEP_SHA_256", material) };
    expect(await rejection(importKeyMaterial(c.keyAdmin, bare))).toMatchObject({
      name: "ValidationException",
      message: "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES",
    });
    expect(await state(key.id)).toBe("PendingImport");
    await importKeyMaterial(c.keyAdmin, { ...bare, ValidTo: new Date(T0.getTime() + DAY_MS) });
    expect((await describeKey(c.auditor, { KeyId: key.id })).KeyMetadata).toMatchObject({ ExpirationModel: "KEY_MATERIAL_EXPIRES" });
  });

  it("the scheduler deletes material past its ValidTo (key → PendingImport, audited); the same material comes back", async () => {
    freezeClock(T0);
    const key = await externalKey();
    const material = randomBytes(32);
    const validTo = new Date(T0.getTime() + 2 * DAY_MS);
    await importInto(key.id, material, "RSA_AES_KEY_WRAP_SHA_1", { ExpirationModel: "KEY_MATERIAL_EXPIRES", ValidTo: validTo });
    expect((await describeKey(c.auditor, { KeyId: key.id })).KeyMetadata).toMatchObject({ ExpirationModel: "KEY_MATERIAL_EXPIRES", ValidTo: validTo });
    const ct = await encrypt(c.keyUser, { KeyId: key.id, Plaintext: bytes("until then") });

    freezeClock(new Date(validTo.getTime() - 1));
    await deleteExpiredKeyMaterial();
    expect(await state(key.id)).toBe("Enabled");

    freezeClock(validTo);
    expect(await deleteExpiredKeyMaterial()).toBeGreaterThanOrEqual(1);
    expect(await state(key.id)).toBe("PendingImport");
    expect(await prisma.keyMaterial.count({ where: { keyId: key.id } })).toBe(0);
    expect((await rejection(decrypt(c.keyUser, { CiphertextBlob: ct.CiphertextBlob }))).name).toBe("KMSInvalidStateException");
    const events = await prisma.auditEvent.findMany({ where: { keyId: key.id, eventName: "DeleteExpiredKeyMaterial" } });
    expect(events).toHaveLength(1);
    expect(await deleteExpiredKeyMaterial()).toBe(0);

    await importInto(key.id, material);
    const pt = await decrypt(c.keyUser, { CiphertextBlob: ct.CiphertextBlob });
    expect(Buffer.from(pt.Plaintext).toString()).toBe("until then");
    expect((await describeKey(c.auditor, { KeyId: key.id })).KeyMetadata).not.toHaveProperty("ValidTo");
  });
});
