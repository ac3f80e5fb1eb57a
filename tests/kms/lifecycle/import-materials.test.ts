// Several key materials per imported symmetric key (AWS, 2025):
// ImportKeyMaterial with ImportType NEW_KEY_MATERIAL stages a material pending
// rotation, RotateKeyOnDemand makes it current, older ciphertexts keep
// decrypting under the material they name; the state errors with AWS's texts.
import { randomBytes } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { decryptSymmetric } from "@/lib/crypto";
import { DAY_MS } from "@/lib/kms/clock";
import { deleteExpiredKeyMaterial } from "@/lib/kms/import/expiry";
import { keyMaterialId } from "@/lib/kms/metadata";
import { decrypt } from "@/lib/kms/operations/decrypt";
import { deleteImportedKeyMaterial } from "@/lib/kms/operations/delete-imported-key-material";
import { describeKey } from "@/lib/kms/operations/describe-key";
import { encrypt } from "@/lib/kms/operations/encrypt";
import { getParametersForImport } from "@/lib/kms/operations/get-parameters-for-import";
import { importKeyMaterial } from "@/lib/kms/operations/import-key-material";
import { reEncrypt } from "@/lib/kms/operations/re-encrypt";
import { listKeyRotations, rotateKeyOnDemand } from "@/lib/kms/operations/rotation";
import { bytes, callers, freezeClock, newKey, rejection, restoreClock, type Callers } from "./fixtures";
import { wrapForImport } from "./import-wrap";

let c: Callers;
beforeAll(async () => {
  c = await callers();
});
afterEach(restoreClock);

async function importInto(keyId: string, material: Uint8Array, extra: Record<string, unknown> = {}) {
  const params = await getParametersForImport(c.keyAdmin, { KeyId: keyId, WrappingAlgorithm: "RSAES_OAEP_SHA_256", WrappingKeySpec: "RSA_2048" });
  return importKeyMaterial(c.keyAdmin, {
    KeyId: keyId,
    ImportToken: params.ImportToken,
    EncryptedKeyMaterial: wrapForImport(params.PublicKey, "RSAES_OAEP_SHA_256", material),
    ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
    ...extra,
  });
}

const text = (p: Uint8Array) => Buffer.from(p).toString();
const current = async (keyId: string) => (await describeKey(c.auditor, { KeyId: keyId })).KeyMetadata.CurrentKeyMaterialId;

describe("Several imported materials per symmetric key", () => {
  it("stages NEW_KEY_MATERIAL, rotates to it on demand; old ciphertexts decrypt under their own material", async () => {
    const key = await newKey(c.keyAdmin, { Origin: "EXTERNAL" });
    const [m1, m2, m3] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    const id1 = keyMaterialId(key.id, 1);
    const id2 = keyMaterialId(key.id, 2);
    expect(await importInto(key.id, m1)).toEqual({ KeyId: key.arn, KeyMaterialId: id1 });
    const ct1 = await encrypt(c.keyUser, { KeyId: key.id, Plaintext: bytes("under the first") });

    expect(await importInto(key.id, m2, { ImportType: "NEW_KEY_MATERIAL", KeyMaterialDescription: "second" })).toEqual({ KeyId: key.arn, KeyMaterialId: id2 });
    // Staged only: the first material stays current.
    expect(await current(key.id)).toBe(id1);
    const stillFirst = await encrypt(c.keyUser, { KeyId: key.id, Plaintext: bytes("x") });
    expect(decryptSymmetric(m1, stillFirst.CiphertextBlob, undefined).toString()).toBe("x");
    expect((await listKeyRotations(c.auditor, { KeyId: key.id, IncludeKeyMaterial: "ALL_KEY_MATERIAL" })).Rotations).toEqual([
      { KeyId: key.arn, KeyMaterialId: id1, ImportState: "IMPORTED", KeyMaterialState: "CURRENT", ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE" },
      {
        KeyId: key.arn,
        KeyMaterialId: id2,
        KeyMaterialDescription: "second",
        ImportState: "IMPORTED",
        KeyMaterialState: "PENDING_ROTATION",
        ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
      },
    ]);
    expect((await listKeyRotations(c.auditor, { KeyId: key.id })).Rotations).toEqual([]);

    // A third material while the second waits: refused with AWS's text.
    expect(await rejection(importInto(key.id, m3, { ImportType: "NEW_KEY_MATERIAL" }))).toMatchObject({
      name: "KMSInvalidStateException",
      message: `New key material (id: ${keyMaterialId(key.id, 3)}) cannot be imported into KMS key ${key.arn}, because another key material (id: ${id2}) is pending rotation.`,
    });

    expect(await rotateKeyOnDemand(c.keyAdmin, { KeyId: key.id })).toEqual({ KeyId: key.arn });
    expect(await current(key.id)).toBe(id2);
    const ct2 = await encrypt(c.keyUser, { KeyId: key.id, Plaintext: bytes("under the second") });
    expect(decryptSymmetric(m2, ct2.CiphertextBlob, undefined).toString()).toBe("under the second");
    const d2 = await decrypt(c.keyUser, { CiphertextBlob: ct2.CiphertextBlob });
    expect(d2.KeyMaterialId).toBe(id2);
    const d1 = await decrypt(c.keyUser, { CiphertextBlob: ct1.CiphertextBlob });
    expect([text(d1.Plaintext), d1.KeyMaterialId]).toEqual(["under the first", id1]);
    const re = await reEncrypt(c.keyUser, { CiphertextBlob: ct1.CiphertextBlob, DestinationKeyId: key.id });
    expect(re).toMatchObject({ SourceKeyMaterialId: id1, DestinationKeyMaterialId: id2 });

    expect(await rejection(rotateKeyOnDemand(c.keyAdmin, { KeyId: key.id }))).toMatchObject({
      name: "KMSInvalidStateException",
      message: `No available key material pending rotation for the key: ${key.arn}.`,
    });
    const rotations = (await listKeyRotations(c.auditor, { KeyId: key.id })).Rotations;
    expect(rotations).toHaveLength(1);
    expect(rotations[0]).toMatchObject({ KeyMaterialId: id2, KeyMaterialState: "CURRENT", ImportState: "IMPORTED", RotationType: "ON_DEMAND" });
    expect(rotations[0]!.RotationDate).toBeInstanceOf(Date);

    // Deleting the older material: the key stays Enabled, only ciphertexts under it stop decrypting.
    expect(await deleteImportedKeyMaterial(c.keyAdmin, { KeyId: key.id, KeyMaterialId: id1 })).toEqual({ KeyId: key.arn, KeyMaterialId: id1 });
    expect((await describeKey(c.auditor, { KeyId: key.id })).KeyMetadata.KeyState).toBe("Enabled");
    expect((await rejection(decrypt(c.keyUser, { CiphertextBlob: ct1.CiphertextBlob }))).name).toBe("InvalidCiphertextException");
    expect(text((await decrypt(c.keyUser, { CiphertextBlob: ct2.CiphertextBlob })).Plaintext)).toBe("under the second");
    const all = (await listKeyRotations(c.auditor, { KeyId: key.id, IncludeKeyMaterial: "ALL_KEY_MATERIAL" })).Rotations;
    expect(all[0]).toEqual({ KeyId: key.arn, KeyMaterialId: id1, ImportState: "PENDING_IMPORT", KeyMaterialState: "NON_CURRENT" });

    // Only the first material comes back as id1, and then its ciphertexts decrypt again.
    expect((await rejection(importInto(key.id, m2, { KeyMaterialId: id1 }))).name).toBe("IncorrectKeyMaterialException");
    expect(await importInto(key.id, m1, { ImportType: "EXISTING_KEY_MATERIAL", KeyMaterialId: id1 })).toEqual({ KeyId: key.arn, KeyMaterialId: id1 });
    expect(text((await decrypt(c.keyUser, { CiphertextBlob: ct1.CiphertextBlob })).Plaintext)).toBe("under the first");
    expect(await current(key.id)).toBe(id2);
    // Without KeyMaterialId, EXISTING_KEY_MATERIAL (the default now) finds the material by itself.
    expect(await importInto(key.id, m2)).toEqual({ KeyId: key.arn, KeyMaterialId: id2 });
  });

  it("a key pending import refuses new material and rotation with '<arn> is pending import.'", async () => {
    const key = await newKey(c.keyAdmin, { Origin: "EXTERNAL" });
    await importInto(key.id, randomBytes(32));
    await deleteImportedKeyMaterial(c.keyAdmin, { KeyId: key.id });
    const pendingImport = { name: "KMSInvalidStateException", message: `${key.arn} is pending import.` };
    expect(await rejection(importInto(key.id, randomBytes(32), { ImportType: "NEW_KEY_MATERIAL" }))).toMatchObject(pendingImport);
    expect(await rejection(rotateKeyOnDemand(c.keyAdmin, { KeyId: key.id }))).toMatchObject(pendingImport);
  });

  it("a staged material that was deleted is not available for rotation; unknown material IDs are NotFound", async () => {
    const key = await newKey(c.keyAdmin, { Origin: "EXTERNAL" });
    await importInto(key.id, randomBytes(32));
    const { KeyMaterialId } = await importInto(key.id, randomBytes(32), { ImportType: "NEW_KEY_MATERIAL" });
    await deleteImportedKeyMaterial(c.keyAdmin, { KeyId: key.id, KeyMaterialId });
    expect((await describeKey(c.auditor, { KeyId: key.id })).KeyMetadata.KeyState).toBe("Enabled");
    expect(await rejection(rotateKeyOnDemand(c.keyAdmin, { KeyId: key.id }))).toMatchObject({
      name: "KMSInvalidStateException",
      message: `No available key material pending rotation for the key: ${key.arn}.`,
    });
    const unknown = keyMaterialId(key.id, 9);
    expect(await rejection(deleteImportedKeyMaterial(c.keyAdmin, { KeyId: key.id, KeyMaterialId: unknown }))).toMatchObject({
      name: "NotFoundException",
      message: `Key material ${unknown} does not exist in ${key.arn}.`,
    });
    expect((await rejection(importInto(key.id, randomBytes(32), { KeyMaterialId: unknown }))).name).toBe("NotFoundException");
  });

  it("each material expires on its own: an expired staged material is deleted, the key stays Enabled", async () => {
    const T0 = new Date("2035-05-01T00:00:00Z");
    freezeClock(T0);
    const key = await newKey(c.keyAdmin, { Origin: "EXTERNAL" });
    await importInto(key.id, randomBytes(32));
    const validTo = new Date(T0.getTime() + DAY_MS);
    const staged = await importInto(key.id, randomBytes(32), { ImportType: "NEW_KEY_MATERIAL", ExpirationModel: "KEY_MATERIAL_EXPIRES", ValidTo: validTo });
    const listed = (await listKeyRotations(c.auditor, { KeyId: key.id, IncludeKeyMaterial: "ALL_KEY_MATERIAL" })).Rotations;
    expect(listed[1]).toMatchObject({ KeyMaterialId: staged.KeyMaterialId, ExpirationModel: "KEY_MATERIAL_EXPIRES", ValidTo: validTo });
    // DescribeKey describes the current material, which does not expire.
    expect((await describeKey(c.auditor, { KeyId: key.id })).KeyMetadata).toMatchObject({ ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE" });

    freezeClock(validTo);
    expect(await deleteExpiredKeyMaterial()).toBeGreaterThanOrEqual(1);
    expect((await describeKey(c.auditor, { KeyId: key.id })).KeyMetadata.KeyState).toBe("Enabled");
    const after = (await listKeyRotations(c.auditor, { KeyId: key.id, IncludeKeyMaterial: "ALL_KEY_MATERIAL" })).Rotations;
    expect(after[1]).toEqual({ KeyId: key.arn, KeyMaterialId: staged.KeyMaterialId, ImportState: "PENDING_IMPORT", KeyMaterialState: "PENDING_ROTATION" });
    expect((await rejection(rotateKeyOnDemand(c.keyAdmin, { KeyId: key.id }))).name).toBe("KMSInvalidStateException");
  });
});
