// Imported asymmetric key material: CreateKey Origin EXTERNAL for RSA and ECC
// specs, GetParametersForImport with the wrapping algorithms AWS allows for
// each, ImportKeyMaterial of a PKCS#8 private key (generated and wrapped with
// openssl, and with node:crypto), then Sign, Verify, GetPublicKey and (RSA)
// Decrypt with the imported key, checked against the owner's own key.
import { constants, createPrivateKey, diffieHellman, createPublicKey, generateKeyPairSync, publicEncrypt, sign as nodeSign, verify as nodeVerify } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { keyMaterialId } from "@/lib/kms/metadata";
import { decrypt } from "@/lib/kms/operations/decrypt";
import { deleteImportedKeyMaterial } from "@/lib/kms/operations/delete-imported-key-material";
import { deriveSharedSecret } from "@/lib/kms/operations/derive-shared-secret";
import { describeKey } from "@/lib/kms/operations/describe-key";
import { getParametersForImport } from "@/lib/kms/operations/get-parameters-for-import";
import { getPublicKey } from "@/lib/kms/operations/get-public-key";
import { importKeyMaterial } from "@/lib/kms/operations/import-key-material";
import { rotateKeyOnDemand } from "@/lib/kms/operations/rotation";
import { disableKey } from "@/lib/kms/operations/enable-disable-key";
import { sign, verify } from "@/lib/kms/operations/sign-verify";
import { bytes, callers, newKey, rejection, type Callers } from "./fixtures";
import { wrapForImport, type WrappingAlgorithm } from "./import-wrap";
import { opensslPrivateKey, opensslRsaAesWrap } from "./openssl-wrap";

let c: Callers;
beforeAll(async () => {
  c = await callers();
});

const NODE_KEYGEN: Record<string, () => Buffer> = {
  RSA_2048: () => generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "der" }),
  RSA_3072: () => generateKeyPairSync("rsa", { modulusLength: 3072 }).privateKey.export({ type: "pkcs8", format: "der" }),
  ECC_NIST_P256: () => generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ type: "pkcs8", format: "der" }),
  ECC_NIST_P384: () => generateKeyPairSync("ec", { namedCurve: "secp384r1" }).privateKey.export({ type: "pkcs8", format: "der" }),
  ECC_NIST_P521: () => generateKeyPairSync("ec", { namedCurve: "secp521r1" }).privateKey.export({ type: "pkcs8", format: "der" }),
  ECC_SECG_P256K1: () => generateKeyPairSync("ec", { namedCurve: "secp256k1" }).privateKey.export({ type: "pkcs8", format: "der" }),
};

const SIGNING: Record<string, { algorithm: string; hash: string }> = {
  RSA_2048: { algorithm: "RSASSA_PKCS1_V1_5_SHA_256", hash: "sha256" },
  RSA_3072: { algorithm: "RSASSA_PKCS1_V1_5_SHA_384", hash: "sha384" },
  RSA_4096: { algorithm: "RSASSA_PKCS1_V1_5_SHA_512", hash: "sha512" },
  ECC_NIST_P256: { algorithm: "ECDSA_SHA_256", hash: "sha256" },
  ECC_NIST_P384: { algorithm: "ECDSA_SHA_384", hash: "sha384" },
  ECC_NIST_P521: { algorithm: "ECDSA_SHA_512", hash: "sha512" },
  ECC_SECG_P256K1: { algorithm: "ECDSA_SHA_256", hash: "sha256" },
};

async function importPrivateKey(
  keyId: string,
  pkcs8: Uint8Array,
  algorithm: WrappingAlgorithm,
  wrappingKeySpec: string,
  wrap: "openssl" | "node" = "node",
  extra: Record<string, unknown> = {},
) {
  const params = await getParametersForImport(c.keyAdmin, { KeyId: keyId, WrappingAlgorithm: algorithm, WrappingKeySpec: wrappingKeySpec });
  const EncryptedKeyMaterial =
    wrap === "openssl" && algorithm.startsWith("RSA_AES")
      ? opensslRsaAesWrap(params.PublicKey, algorithm as "RSA_AES_KEY_WRAP_SHA_256", pkcs8)
      : wrapForImport(params.PublicKey, algorithm, pkcs8);
  return importKeyMaterial(c.keyAdmin, {
    KeyId: keyId,
    ImportToken: params.ImportToken,
    EncryptedKeyMaterial,
    ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
    ...extra,
  });
}

/** Sign with Keyhold, verify with the owner's key; sign with the owner's key, verify with Keyhold. */
async function checkSigning(keyId: string, spec: string, pkcs8: Buffer) {
  const { algorithm, hash } = SIGNING[spec]!;
  const owner = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
  const message = bytes(`signed by an imported ${spec} key`);
  const signed = await sign(c.keyUser, { KeyId: keyId, Message: message, SigningAlgorithm: algorithm });
  expect(nodeVerify(hash, message, createPublicKey(owner), signed.Signature)).toBe(true);
  const theirs = nodeSign(hash, message, owner);
  expect((await verify(c.keyUser, { KeyId: keyId, Message: message, Signature: theirs, SigningAlgorithm: algorithm })).SignatureValid).toBe(true);
  const pub = await getPublicKey(c.keyUser, { KeyId: keyId });
  expect(Buffer.from(pub.PublicKey).equals(createPublicKey(owner).export({ type: "spki", format: "der" }))).toBe(true);
  expect(pub.SigningAlgorithms).toContain(algorithm);
}

describe("Imported asymmetric key material", () => {
  it.each([
    ["RSA_2048", "RSA_AES_KEY_WRAP_SHA_256", "RSA_2048", "openssl"],
    ["RSA_3072", "RSA_AES_KEY_WRAP_SHA_1", "RSA_4096", "node"],
    ["RSA_4096", "RSA_AES_KEY_WRAP_SHA_256", "RSA_3072", "openssl"],
    ["ECC_NIST_P256", "RSAES_OAEP_SHA_256", "RSA_2048", "node"],
    ["ECC_NIST_P384", "RSA_AES_KEY_WRAP_SHA_256", "RSA_2048", "openssl"],
    ["ECC_NIST_P521", "RSAES_OAEP_SHA_256", "RSA_3072", "node"],
    ["ECC_NIST_P521", "RSA_AES_KEY_WRAP_SHA_1", "RSA_2048", "openssl"],
    ["ECC_SECG_P256K1", "RSAES_OAEP_SHA_1", "RSA_4096", "openssl"],
  ] as const)("%s via %s with a %s wrapping key (%s-generated): Sign, Verify, GetPublicKey", async (spec, algorithm, wrappingKeySpec, tool) => {
    const key = await newKey(c.keyAdmin, { Origin: "EXTERNAL", KeySpec: spec, KeyUsage: "SIGN_VERIFY" });
    expect(await rejection(sign(c.keyUser, { KeyId: key.id, Message: bytes("m"), SigningAlgorithm: SIGNING[spec]!.algorithm }))).toMatchObject({
      name: "KMSInvalidStateException",
      message: `${key.arn} is pending import.`,
    });
    const pkcs8 = tool === "openssl" ? opensslPrivateKey(spec) : NODE_KEYGEN[spec]!();
    const out = await importPrivateKey(key.id, pkcs8, algorithm, wrappingKeySpec, tool);
    expect(out).toEqual({ KeyId: key.arn, KeyMaterialId: keyMaterialId(key.id, 1) });
    expect((await describeKey(c.auditor, { KeyId: key.id })).KeyMetadata).toMatchObject({ KeyState: "Enabled", Origin: "EXTERNAL", KeySpec: spec });
    await checkSigning(key.id, spec, pkcs8);
    // Stored only wrapped by the root key.
    const row = await prisma.keyMaterial.findUniqueOrThrow({ where: { keyId_version: { keyId: key.id, version: 1 } } });
    expect(Buffer.from(row.wrapped).includes(pkcs8.subarray(pkcs8.length - 32))).toBe(false);
  });

  it("an imported RSA ENCRYPT_DECRYPT key decrypts what its owner encrypted with the public key", async () => {
    const key = await newKey(c.keyAdmin, { Origin: "EXTERNAL", KeySpec: "RSA_2048", KeyUsage: "ENCRYPT_DECRYPT" });
    const pkcs8 = opensslPrivateKey("RSA_2048");
    await importPrivateKey(key.id, pkcs8, "RSA_AES_KEY_WRAP_SHA_256", "RSA_4096", "openssl");
    const owner = createPublicKey(createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" }));
    const ct = publicEncrypt({ key: owner, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" }, Buffer.from("for the imported key"));
    const pt = await decrypt(c.keyUser, { KeyId: key.id, CiphertextBlob: ct, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" });
    expect(Buffer.from(pt.Plaintext).toString()).toBe("for the imported key");
  });

  it("an imported ECC KEY_AGREEMENT key derives the same ECDH secret as its owner", async () => {
    const key = await newKey(c.keyAdmin, { Origin: "EXTERNAL", KeySpec: "ECC_NIST_P256", KeyUsage: "KEY_AGREEMENT" });
    const pkcs8 = opensslPrivateKey("ECC_NIST_P256");
    await importPrivateKey(key.id, pkcs8, "RSAES_OAEP_SHA_256", "RSA_2048", "openssl");
    const peer = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const out = await deriveSharedSecret(c.keyUser, {
      KeyId: key.id,
      KeyAgreementAlgorithm: "ECDH",
      PublicKey: peer.publicKey.export({ type: "spki", format: "der" }),
    });
    const expected = diffieHellman({ privateKey: peer.privateKey, publicKey: createPublicKey(createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" })) });
    expect(Buffer.from(out.SharedSecret).equals(expected)).toBe(true);
  });

  it("GetParametersForImport refuses RSAES_OAEP for RSA keys, and for ECC_NIST_P521 with an RSA_2048 wrapping key", async () => {
    const rsa = await newKey(c.keyAdmin, { Origin: "EXTERNAL", KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" });
    for (const WrappingAlgorithm of ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]) {
      expect(await rejection(getParametersForImport(c.keyAdmin, { KeyId: rsa.id, WrappingAlgorithm, WrappingKeySpec: "RSA_4096" }))).toMatchObject({
        name: "ValidationException",
        message: `${WrappingAlgorithm} with a RSA_4096 wrapping key cannot be used to import RSA_2048 key material; use RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256.`,
      });
    }
    const p521 = await newKey(c.keyAdmin, { Origin: "EXTERNAL", KeySpec: "ECC_NIST_P521", KeyUsage: "SIGN_VERIFY" });
    expect(
      (await rejection(getParametersForImport(c.keyAdmin, { KeyId: p521.id, WrappingAlgorithm: "RSAES_OAEP_SHA_1", WrappingKeySpec: "RSA_2048" }))).name,
    ).toBe("ValidationException");
    const ok = await getParametersForImport(c.keyAdmin, { KeyId: p521.id, WrappingAlgorithm: "RSAES_OAEP_SHA_1", WrappingKeySpec: "RSA_3072" });
    expect(ok.KeyId).toBe(p521.arn);
  });

  it("refuses material that is not a private key of exactly the key's spec with IncorrectKeyMaterialException", async () => {
    const p384 = await newKey(c.keyAdmin, { Origin: "EXTERNAL", KeySpec: "ECC_NIST_P384", KeyUsage: "SIGN_VERIFY" });
    const rsa3072 = await newKey(c.keyAdmin, { Origin: "EXTERNAL", KeySpec: "RSA_3072", KeyUsage: "SIGN_VERIFY" });
    const cases: Array<[string, Buffer]> = [
      [p384.id, NODE_KEYGEN.ECC_NIST_P256!()],
      [p384.id, NODE_KEYGEN.ECC_SECG_P256K1!()],
      [p384.id, Buffer.from("not a key at all, just some bytes")],
      [rsa3072.id, NODE_KEYGEN.RSA_2048!()],
      [rsa3072.id, NODE_KEYGEN.ECC_NIST_P384!()],
      // The right key, but in SEC1 (ECPrivateKey) form rather than PKCS#8.
      [p384.id, generateKeyPairSync("ec", { namedCurve: "secp384r1" }).privateKey.export({ type: "sec1", format: "der" })],
    ];
    for (const [keyId, material] of cases) {
      const e = await rejection(importPrivateKey(keyId, material, "RSA_AES_KEY_WRAP_SHA_256", "RSA_2048"));
      expect(e.name).toBe("IncorrectKeyMaterialException");
      expect(e.message).toContain("PKCS#8");
    }
    // An EC key whose embedded public key belongs to another private key.
    const a = createPrivateKey({ key: NODE_KEYGEN.ECC_NIST_P384!(), format: "der", type: "pkcs8" }).export({ format: "jwk" });
    const b = createPrivateKey({ key: NODE_KEYGEN.ECC_NIST_P384!(), format: "der", type: "pkcs8" }).export({ format: "jwk" });
    let mixed: Buffer | undefined;
    try {
      mixed = createPrivateKey({ key: { ...a, x: b.x, y: b.y }, format: "jwk" }).export({ type: "pkcs8", format: "der" });
    } catch {
      mixed = undefined; // this OpenSSL refuses to build such a key at all
    }
    if (mixed) expect((await rejection(importPrivateKey(p384.id, mixed, "RSA_AES_KEY_WRAP_SHA_256", "RSA_2048"))).name).toBe("IncorrectKeyMaterialException");
    expect((await describeKey(c.auditor, { KeyId: p384.id })).KeyMetadata.KeyState).toBe("PendingImport");
  });

  it("takes one material for life: re-import of the same key after deletion, never another or a second one", async () => {
    const key = await newKey(c.keyAdmin, { Origin: "EXTERNAL", KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" });
    const pkcs8 = opensslPrivateKey("ECC_NIST_P256");
    await importPrivateKey(key.id, pkcs8, "RSAES_OAEP_SHA_256", "RSA_2048", "openssl");
    expect(await rejection(importPrivateKey(key.id, NODE_KEYGEN.ECC_NIST_P256!(), "RSAES_OAEP_SHA_256", "RSA_2048", "node", { ImportType: "NEW_KEY_MATERIAL" }))).toMatchObject({
      name: "UnsupportedOperationException",
      message: `${key.arn} is a ECC_NIST_P256 key; only symmetric encryption KMS keys can have more than one key material.`,
    });
    await deleteImportedKeyMaterial(c.keyAdmin, { KeyId: key.id });
    expect((await rejection(importPrivateKey(key.id, NODE_KEYGEN.ECC_NIST_P256!(), "RSAES_OAEP_SHA_256", "RSA_2048"))).name).toBe("IncorrectKeyMaterialException");
    // The same key, encoded by another tool (Node's PKCS#8 of the same key): recognised.
    const reencoded = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" }).export({ type: "pkcs8", format: "der" });
    await importPrivateKey(key.id, reencoded, "RSA_AES_KEY_WRAP_SHA_256", "RSA_3072");
    await checkSigning(key.id, "ECC_NIST_P256", pkcs8);
  });

  it("RotateKeyOnDemand judges the key state before the key spec: a disabled RSA key is DisabledException", async () => {
    const key = await newKey(c.keyAdmin, { Origin: "EXTERNAL", KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" });
    expect(await rejection(rotateKeyOnDemand(c.keyAdmin, { KeyId: key.id }))).toMatchObject({
      name: "KMSInvalidStateException",
      message: `${key.arn} is pending import.`,
    });
    await importPrivateKey(key.id, NODE_KEYGEN.RSA_2048!(), "RSA_AES_KEY_WRAP_SHA_256", "RSA_2048");
    expect((await rejection(rotateKeyOnDemand(c.keyAdmin, { KeyId: key.id }))).name).toBe("UnsupportedOperationException");
    await disableKey(c.keyAdmin, { KeyId: key.id });
    expect(await rejection(rotateKeyOnDemand(c.keyAdmin, { KeyId: key.id }))).toMatchObject({ name: "DisabledException", message: `${key.arn} is disabled.` });
  });
});
