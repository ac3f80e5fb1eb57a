// Round trips through the service layer, checked the way an outside party would: with plain
// node:crypto from the GetPublicKey DER wherever node can (RSA, ECDSA — including signatures over
// a DIGEST, verified by node over the original message —, Ed25519), and with @noble/curves
// (Ed25519ph) and @noble/post-quantum (ML-DSA, including EXTERNAL_MU) where node 20 cannot.
import {
  constants,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
  verify as nodeVerify,
} from "node:crypto";
import { ed25519ph } from "@noble/curves/ed25519.js";
import { shake256 } from "@noble/hashes/sha3.js";
import { ml_dsa44, ml_dsa65, ml_dsa87 } from "@noble/post-quantum/ml-dsa.js";
import { beforeAll, describe, expect, it } from "vitest";
import { decrypt } from "@/lib/kms/operations/decrypt";
import { deriveSharedSecret } from "@/lib/kms/operations/derive-shared-secret";
import { encrypt } from "@/lib/kms/operations/encrypt";
import { generateDataKeyPair, generateDataKeyPairWithoutPlaintext } from "@/lib/kms/operations/generate-data-key-pair";
import { generateRandom } from "@/lib/kms/operations/generate-random";
import { getPublicKey } from "@/lib/kms/operations/get-public-key";
import { generateMac, verifyMac } from "@/lib/kms/operations/mac";
import { reEncrypt } from "@/lib/kms/operations/re-encrypt";
import { sign, verify } from "@/lib/kms/operations/sign-verify";
import { kmsOperations } from "@/lib/kms";
import { materialOf, newKey, principals, rejection, type CreatedKey, type Principals } from "./fixtures";

let p: Principals;
beforeAll(async () => {
  p = await principals();
});

const keys = new Map<string, Promise<CreatedKey>>();
/** One key per (spec, usage) for the whole file, created on first use. */
function keyFor(spec: string, usage: string): Promise<CreatedKey> {
  const k = `${spec}/${usage}`;
  if (!keys.has(k)) keys.set(k, newKey(p.admin, spec, usage));
  return keys.get(k)!;
}

async function publicKeyOf(key: CreatedKey): Promise<Buffer> {
  return (await getPublicKey(p.user, { KeyId: key.id })).PublicKey;
}

// ---- Signing ------------------------------------------------------------------------------------

const RSA_SIGNING = [
  "RSASSA_PSS_SHA_256",
  "RSASSA_PSS_SHA_384",
  "RSASSA_PSS_SHA_512",
  "RSASSA_PKCS1_V1_5_SHA_256",
  "RSASSA_PKCS1_V1_5_SHA_384",
  "RSASSA_PKCS1_V1_5_SHA_512",
];
/** Signing algorithms per key spec and the message types each accepts, per the AWS documentation. */
const SIGNING: Record<string, Record<string, string[]>> = {
  RSA_2048: Object.fromEntries(RSA_SIGNING.map((a) => [a, ["RAW", "DIGEST"]])),
  RSA_3072: Object.fromEntries(RSA_SIGNING.map((a) => [a, ["RAW", "DIGEST"]])),
  RSA_4096: Object.fromEntries(RSA_SIGNING.map((a) => [a, ["RAW", "DIGEST"]])),
  ECC_NIST_P256: { ECDSA_SHA_256: ["RAW", "DIGEST"] },
  ECC_NIST_P384: { ECDSA_SHA_384: ["RAW", "DIGEST"] },
  ECC_NIST_P521: { ECDSA_SHA_512: ["RAW", "DIGEST"] },
  ECC_SECG_P256K1: { ECDSA_SHA_256: ["RAW", "DIGEST"] },
  ECC_NIST_EDWARDS25519: { ED25519_SHA_512: ["RAW"], ED25519_PH_SHA_512: ["DIGEST"] },
  ML_DSA_44: { ML_DSA_SHAKE_256: ["RAW", "EXTERNAL_MU"] },
  ML_DSA_65: { ML_DSA_SHAKE_256: ["RAW", "EXTERNAL_MU"] },
  ML_DSA_87: { ML_DSA_SHAKE_256: ["RAW", "EXTERNAL_MU"] },
};

const SIGN_CASES = Object.entries(SIGNING).flatMap(([spec, algs]) =>
  Object.entries(algs).flatMap(([alg, types]) => types.map((type) => [spec, alg, type] as const)),
);

const hashOf = (alg: string) => (alg.endsWith("_256") ? "sha256" : alg.endsWith("_384") ? "sha384" : "sha512");
const ML_DSA = { ML_DSA_44: ml_dsa44, ML_DSA_65: ml_dsa65, ML_DSA_87: ml_dsa87 } as const;
const ML_DSA_PK_BYTES = { ML_DSA_44: 1312, ML_DSA_65: 1952, ML_DSA_87: 2592 } as const;
type MlDsaSpec = keyof typeof ML_DSA;

/** The raw ML-DSA public key from an SPKI with id-ml-dsa-44/65/87 (2.16.840.1.101.3.4.3.17/18/19). */
function mlDsaPublicKey(spec: MlDsaSpec, spki: Buffer): Uint8Array {
  const oid = Buffer.from([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, { ML_DSA_44: 0x11, ML_DSA_65: 0x12, ML_DSA_87: 0x13 }[spec]]);
  expect(spki.includes(oid)).toBe(true);
  return new Uint8Array(spki.subarray(spki.length - ML_DSA_PK_BYTES[spec]));
}

/** FIPS 204 §6.2 / Algorithm 7 line 6: μ = SHAKE256(SHAKE256(pk, 64) || 0x00 || 0x00 (empty context) || M, 64). */
function externalMu(pk: Uint8Array, message: Uint8Array): Buffer {
  const tr = shake256(pk, { dkLen: 64 });
  return Buffer.from(shake256(Buffer.concat([tr, Buffer.from([0, 0]), message]), { dkLen: 64 }));
}

/** What we send to Sign for a message type, from the original message. */
function signingInput(spec: string, alg: string, type: string, message: Buffer, spki: Buffer): Buffer {
  if (type === "RAW") return message;
  if (type === "DIGEST") return createHash(hashOf(alg)).update(message).digest();
  return externalMu(mlDsaPublicKey(spec as MlDsaSpec, spki), message);
}

/** Verification outside the service, over the ORIGINAL message (a DIGEST/μ signature is one over the message). */
function verifyOutside(spec: string, alg: string, type: string, spki: Buffer, message: Buffer, signed: Buffer, sig: Buffer): boolean {
  if (spec.startsWith("ML_DSA_")) return ML_DSA[spec as MlDsaSpec].verify(sig, message, mlDsaPublicKey(spec as MlDsaSpec, spki));
  const key = createPublicKey({ key: spki, format: "der", type: "spki" });
  if (alg === "ED25519_SHA_512") return nodeVerify(null, message, key, sig);
  if (alg === "ED25519_PH_SHA_512") {
    // AWS: the 64-byte DIGEST is pre-hashed again by Ed25519ph (FIPS 186-5 §7.8.1).
    const raw = Buffer.from(key.export({ format: "jwk" }).x!, "base64url");
    return ed25519ph.verify(sig, signed, raw, { zip215: false });
  }
  const hash = hashOf(alg);
  if (alg.startsWith("RSASSA_PSS_")) {
    const saltLength = { sha256: 32, sha384: 48, sha512: 64 }[hash];
    return nodeVerify(hash, message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, sig);
  }
  if (alg.startsWith("RSASSA_PKCS1_")) return nodeVerify(hash, message, { key, padding: constants.RSA_PKCS1_PADDING }, sig);
  return nodeVerify(hash, message, { key, dsaEncoding: "der" }, sig);
}

describe("Sign / Verify round trips (every key spec × signing algorithm × message type)", () => {
  it.each(SIGN_CASES)("%s %s %s: signature verifies outside and through Verify", async (spec, alg, type) => {
    const key = await keyFor(spec, "SIGN_VERIFY");
    const spki = await publicKeyOf(key);
    const message = randomBytes(300);
    const signed = signingInput(spec, alg, type, message, spki);
    const res = await sign(p.user, { KeyId: key.id, Message: signed, MessageType: type, SigningAlgorithm: alg });
    expect(res.KeyId).toBe(key.arn);
    expect(res.SigningAlgorithm).toBe(alg);
    expect(verifyOutside(spec, alg, type, spki, message, signed, res.Signature)).toBe(true);
    // A different message does not verify outside either.
    const other = randomBytes(300);
    expect(verifyOutside(spec, alg, type, spki, other, signingInput(spec, alg, type, other, spki), res.Signature)).toBe(false);

    const ok = await verify(p.user, { KeyId: key.arn, Message: signed, MessageType: type, Signature: res.Signature, SigningAlgorithm: alg });
    expect(ok).toEqual({ KeyId: key.arn, SignatureValid: true, SigningAlgorithm: alg });

    const flipped = Buffer.from(res.Signature);
    flipped[flipped.length >> 1] ^= 0x01;
    const bad = await rejection(verify(p.user, { KeyId: key.id, Message: signed, MessageType: type, Signature: flipped, SigningAlgorithm: alg }));
    expect(bad.name).toBe("KMSInvalidSignatureException");
    const changed = Buffer.from(signed);
    changed[0] ^= 0x80;
    expect((await rejection(verify(p.user, { KeyId: key.id, Message: changed, MessageType: type, Signature: res.Signature, SigningAlgorithm: alg }))).name).toBe(
      "KMSInvalidSignatureException",
    );
  });

  it.each(["RSASSA_PSS_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512"])(
    "RSA %s: a RAW signature verifies through Verify with the DIGEST of the message (message types need not match)",
    async (alg) => {
      const key = await keyFor("RSA_2048", "SIGN_VERIFY");
      const message = randomBytes(64);
      const { Signature } = await sign(p.user, { KeyId: key.id, Message: message, SigningAlgorithm: alg });
      const digest = createHash(hashOf(alg)).update(message).digest();
      const res = await verify(p.user, { KeyId: key.id, Message: digest, MessageType: "DIGEST", Signature, SigningAlgorithm: alg });
      expect(res.SignatureValid).toBe(true);
    },
  );

  it("signs a RAW message of the maximum 4096 bytes, and a one-byte message", async () => {
    const key = await keyFor("ECC_NIST_P256", "SIGN_VERIFY");
    const spki = await publicKeyOf(key);
    for (const message of [randomBytes(4096), randomBytes(1)]) {
      const { Signature } = await sign(p.user, { KeyId: key.id, Message: message, SigningAlgorithm: "ECDSA_SHA_256" });
      expect(nodeVerify("sha256", message, { key: createPublicKey({ key: spki, format: "der", type: "spki" }), dsaEncoding: "der" }, Signature)).toBe(true);
    }
  });

  it("a signature of another key with the same spec is KMSInvalidSignatureException", async () => {
    const a = await keyFor("ECC_NIST_P384", "SIGN_VERIFY");
    const b = await newKey(p.admin, "ECC_NIST_P384", "SIGN_VERIFY");
    const message = randomBytes(32);
    const { Signature } = await sign(p.user, { KeyId: a.id, Message: message, SigningAlgorithm: "ECDSA_SHA_384" });
    const e = await rejection(verify(p.user, { KeyId: b.id, Message: message, Signature, SigningAlgorithm: "ECDSA_SHA_384" }));
    expect(e.name).toBe("KMSInvalidSignatureException");
  });
});

// ---- GetPublicKey -------------------------------------------------------------------------------

describe("GetPublicKey", () => {
  const RSA_ENC = ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"];
  it.each([
    ["RSA_2048", "ENCRYPT_DECRYPT", { EncryptionAlgorithms: RSA_ENC }, "rsa"],
    ["RSA_3072", "SIGN_VERIFY", { SigningAlgorithms: RSA_SIGNING }, "rsa"],
    ["ECC_NIST_P256", "SIGN_VERIFY", { SigningAlgorithms: ["ECDSA_SHA_256"] }, "ec"],
    ["ECC_NIST_P521", "KEY_AGREEMENT", { KeyAgreementAlgorithms: ["ECDH"] }, "ec"],
    ["ECC_SECG_P256K1", "SIGN_VERIFY", { SigningAlgorithms: ["ECDSA_SHA_256"] }, "ec"],
    ["ECC_NIST_EDWARDS25519", "SIGN_VERIFY", { SigningAlgorithms: ["ED25519_SHA_512", "ED25519_PH_SHA_512"] }, "ed25519"],
    ["ML_DSA_65", "SIGN_VERIFY", { SigningAlgorithms: ["ML_DSA_SHAKE_256"] }, undefined],
  ] as const)("%s %s: SPKI DER and the algorithms of its usage only", async (spec, usage, algorithms, nodeType) => {
    const key = await keyFor(spec, usage);
    const res = await getPublicKey(p.auditor, { KeyId: key.arn }); // auditors may read public keys
    expect(Object.keys(res).sort()).toEqual(["CustomerMasterKeySpec", "KeyId", "KeySpec", "KeyUsage", "PublicKey", ...Object.keys(algorithms)].sort());
    expect(res).toMatchObject({ KeyId: key.arn, KeySpec: spec, CustomerMasterKeySpec: spec, KeyUsage: usage });
    for (const [field, list] of Object.entries(algorithms)) {
      expect([...(res[field as keyof typeof res] as string[])].sort()).toEqual([...list].sort()); // order is not part of the contract
    }
    expect(Buffer.isBuffer(res.PublicKey)).toBe(true);
    if (nodeType) {
      const pub = createPublicKey({ key: res.PublicKey, format: "der", type: "spki" });
      expect(pub.asymmetricKeyType).toBe(nodeType);
      expect(pub.export({ format: "der", type: "spki" }).equals(res.PublicKey)).toBe(true);
    } else {
      expect(res.PublicKey.length).toBe(1952 + 22);
    }
    // Stable across calls (same key material).
    expect((await getPublicKey(p.user, { KeyId: key.id })).PublicKey.equals(res.PublicKey)).toBe(true);
  });

  it.each([
    ["SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"],
    ["HMAC_256", "GENERATE_VERIFY_MAC"],
  ])("has no public key for %s keys: UnsupportedOperationException", async (spec, usage) => {
    const key = await keyFor(spec, usage);
    expect((await rejection(getPublicKey(p.user, { KeyId: key.id }))).name).toBe("UnsupportedOperationException");
  });
});

// ---- Asymmetric encryption ----------------------------------------------------------------------

describe("RSA encryption: encrypted outside with the public key, decrypted inside", () => {
  const MAX = { RSA_2048: [214, 190], RSA_3072: [342, 318], RSA_4096: [470, 446] } as const;
  it.each(
    (["RSA_2048", "RSA_3072", "RSA_4096"] as const).flatMap((spec) =>
      (["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"] as const).map((alg, i) => [spec, alg, MAX[spec][i]!] as const),
    ),
  )("%s %s (max %d bytes)", async (spec, alg, max) => {
    const key = await keyFor(spec, "ENCRYPT_DECRYPT");
    const spki = await publicKeyOf(key);
    const oaepHash = alg === "RSAES_OAEP_SHA_1" ? "sha1" : "sha256";
    for (const size of [1, 32, max]) {
      const plaintext = randomBytes(size);
      const ciphertext = publicEncrypt({ key: createPublicKey({ key: spki, format: "der", type: "spki" }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, plaintext);
      const res = await decrypt(p.user, { CiphertextBlob: ciphertext, KeyId: key.id, EncryptionAlgorithm: alg });
      expect(res.Plaintext.equals(plaintext)).toBe(true);
      expect(res).toMatchObject({ KeyId: key.arn, EncryptionAlgorithm: alg });
      expect(res.KeyMaterialId).toBeUndefined();
    }
    // Inside → inside too; one byte over the limit is refused.
    const plaintext = randomBytes(max);
    const enc = await encrypt(p.user, { KeyId: key.id, Plaintext: plaintext, EncryptionAlgorithm: alg });
    expect((await decrypt(p.user, { CiphertextBlob: enc.CiphertextBlob, KeyId: key.arn, EncryptionAlgorithm: alg })).Plaintext.equals(plaintext)).toBe(true);
    expect((await rejection(encrypt(p.user, { KeyId: key.id, Plaintext: randomBytes(max + 1), EncryptionAlgorithm: alg }))).name).toBe("ValidationException");
    // The other OAEP hash does not decrypt it.
    const other = alg === "RSAES_OAEP_SHA_1" ? "RSAES_OAEP_SHA_256" : "RSAES_OAEP_SHA_1";
    expect((await rejection(decrypt(p.user, { CiphertextBlob: enc.CiphertextBlob, KeyId: key.id, EncryptionAlgorithm: other }))).name).toBe(
      "InvalidCiphertextException",
    );
  });
});

// ---- Key agreement ------------------------------------------------------------------------------

describe("DeriveSharedSecret (ECDH) agrees with node:crypto in both directions", () => {
  it.each([
    ["ECC_NIST_P256", "prime256v1", 32],
    ["ECC_NIST_P384", "secp384r1", 48],
    ["ECC_NIST_P521", "secp521r1", 66],
  ] as const)("%s", async (spec, curve, bytes) => {
    const key = await keyFor(spec, "KEY_AGREEMENT");
    const kmsPublic = createPublicKey({ key: await publicKeyOf(key), format: "der", type: "spki" });
    const peer = generateKeyPairSync("ec", { namedCurve: curve });
    const peerSpki = peer.publicKey.export({ format: "der", type: "spki" });
    const res = await deriveSharedSecret(p.user, { KeyId: key.id, KeyAgreementAlgorithm: "ECDH", PublicKey: peerSpki });
    expect(res).toMatchObject({ KeyId: key.arn, KeyAgreementAlgorithm: "ECDH", KeyOrigin: "AWS_KMS" });
    expect(res.SharedSecret.length).toBe(bytes);
    expect(res.SharedSecret.equals(diffieHellman({ privateKey: peer.privateKey, publicKey: kmsPublic }))).toBe(true);

    // Two KMS keys on the same curve derive the same secret from each other's public keys.
    const other = await newKey(p.admin, spec, "KEY_AGREEMENT");
    const ab = await deriveSharedSecret(p.user, { KeyId: key.id, KeyAgreementAlgorithm: "ECDH", PublicKey: await publicKeyOf(other) });
    const ba = await deriveSharedSecret(p.user, { KeyId: other.arn, KeyAgreementAlgorithm: "ECDH", PublicKey: await publicKeyOf(key) });
    expect(ab.SharedSecret.equals(ba.SharedSecret)).toBe(true);
  });
});

// ---- Data key pairs -----------------------------------------------------------------------------

describe("GenerateDataKeyPair / GenerateDataKeyPairWithoutPlaintext", () => {
  const SPECS = [
    ["RSA_2048", "rsa"],
    ["RSA_3072", "rsa"],
    ["RSA_4096", "rsa"],
    ["ECC_NIST_P256", "ec"],
    ["ECC_NIST_P384", "ec"],
    ["ECC_NIST_P521", "ec"],
    ["ECC_SECG_P256K1", "ec"],
    ["ECC_NIST_EDWARDS25519", "ed25519"],
  ] as const;

  it.each(SPECS)("%s: the wrapped private key decrypts to the plaintext one, which matches the public key", async (spec, type) => {
    const wrapping = await keyFor("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");
    const context = { purpose: "data-key-pair", spec };
    const res = await generateDataKeyPair(p.user, { KeyId: wrapping.id, KeyPairSpec: spec, EncryptionContext: context });
    expect(res.KeyId).toBe(wrapping.arn);
    expect(res.KeyPairSpec).toBe(spec);
    expect(res.KeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    const { Plaintext, KeyMaterialId } = await decrypt(p.user, { CiphertextBlob: res.PrivateKeyCiphertextBlob, EncryptionContext: { spec, purpose: "data-key-pair" } });
    expect(Plaintext.equals(res.PrivateKeyPlaintext)).toBe(true);
    expect(KeyMaterialId).toBe(res.KeyMaterialId);
    const privateKey = createPrivateKey({ key: res.PrivateKeyPlaintext, format: "der", type: "pkcs8" });
    expect(privateKey.asymmetricKeyType).toBe(type);
    expect(createPublicKey(privateKey).export({ format: "der", type: "spki" }).equals(res.PublicKey)).toBe(true);
    // The context is bound.
    expect((await rejection(decrypt(p.user, { CiphertextBlob: res.PrivateKeyCiphertextBlob }))).name).toBe("InvalidCiphertextException");
  });

  it.each(SPECS.filter(([s]) => s === "ECC_NIST_P256" || s === "RSA_2048" || s === "ECC_NIST_EDWARDS25519"))(
    "%s without plaintext: no PrivateKeyPlaintext; the decrypted private key matches PublicKey",
    async (spec) => {
      const wrapping = await keyFor("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");
      const res = await generateDataKeyPairWithoutPlaintext(p.user, { KeyId: wrapping.arn, KeyPairSpec: spec });
      expect(Object.keys(res).sort()).toEqual(["KeyId", "KeyMaterialId", "KeyPairSpec", "PrivateKeyCiphertextBlob", "PublicKey"]);
      const { Plaintext } = await decrypt(p.user, { CiphertextBlob: res.PrivateKeyCiphertextBlob, KeyId: wrapping.id });
      const publicDer = createPublicKey(createPrivateKey({ key: Plaintext, format: "der", type: "pkcs8" })).export({ format: "der", type: "spki" });
      expect(publicDer.equals(res.PublicKey)).toBe(true);
    },
  );

  it("every pair is fresh", async () => {
    const wrapping = await keyFor("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");
    const a = await generateDataKeyPair(p.user, { KeyId: wrapping.id, KeyPairSpec: "ECC_NIST_P256" });
    const b = await generateDataKeyPair(p.user, { KeyId: wrapping.id, KeyPairSpec: "ECC_NIST_P256" });
    expect(a.PublicKey.equals(b.PublicKey)).toBe(false);
    expect(a.PrivateKeyPlaintext.equals(b.PrivateKeyPlaintext)).toBe(false);
  });
});

// ---- MACs ---------------------------------------------------------------------------------------

describe("GenerateMac / VerifyMac agree with node createHmac", () => {
  it.each([
    ["HMAC_224", "HMAC_SHA_224", "sha224", 28],
    ["HMAC_256", "HMAC_SHA_256", "sha256", 32],
    ["HMAC_384", "HMAC_SHA_384", "sha384", 48],
    ["HMAC_512", "HMAC_SHA_512", "sha512", 64],
  ] as const)("%s with %s", async (spec, alg, hash, length) => {
    const key = await keyFor(spec, "GENERATE_VERIFY_MAC");
    const material = await materialOf(key);
    for (const message of [randomBytes(1), randomBytes(100), randomBytes(4096)]) {
      const res = await generateMac(p.user, { KeyId: key.id, Message: message, MacAlgorithm: alg });
      expect(res).toMatchObject({ KeyId: key.arn, MacAlgorithm: alg });
      expect(res.Mac.length).toBe(length);
      expect(res.Mac.equals(createHmac(hash, material).update(message).digest())).toBe(true);
      expect(await verifyMac(p.user, { KeyId: key.arn, Message: message, Mac: res.Mac, MacAlgorithm: alg })).toEqual({
        KeyId: key.arn,
        MacValid: true,
        MacAlgorithm: alg,
      });
      const tampered = Buffer.from(res.Mac);
      tampered[tampered.length - 1] ^= 1;
      for (const mac of [tampered, res.Mac.subarray(0, length - 1), Buffer.concat([res.Mac, Buffer.from([0])])]) {
        expect((await rejection(verifyMac(p.user, { KeyId: key.id, Message: message, Mac: mac, MacAlgorithm: alg }))).name).toBe(
          "KMSInvalidMacException",
        );
      }
    }
    material.fill(0);
  });
});

// ---- ReEncrypt ----------------------------------------------------------------------------------

describe("ReEncrypt", () => {
  it("moves a ciphertext from one symmetric key to another, with a new encryption context", async () => {
    const a = await keyFor("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");
    const b = await newKey(p.admin, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");
    const plaintext = randomBytes(100);
    const enc = await encrypt(p.user, { KeyId: a.id, Plaintext: plaintext, EncryptionContext: { v: "1" } });
    const res = await reEncrypt(p.user, {
      CiphertextBlob: enc.CiphertextBlob,
      SourceEncryptionContext: { v: "1" },
      DestinationKeyId: b.id,
      DestinationEncryptionContext: { v: "2" },
    });
    expect(res).toMatchObject({
      SourceKeyId: a.arn,
      KeyId: b.arn,
      SourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
      DestinationEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
    });
    expect(res.SourceKeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    expect(res.DestinationKeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    expect(res.SourceKeyMaterialId).not.toBe(res.DestinationKeyMaterialId);
    const dec = await decrypt(p.user, { CiphertextBlob: res.CiphertextBlob, EncryptionContext: { v: "2" } });
    expect(dec.KeyId).toBe(b.arn);
    expect(dec.Plaintext.equals(plaintext)).toBe(true);
    expect((await rejection(decrypt(p.user, { CiphertextBlob: res.CiphertextBlob, EncryptionContext: { v: "1" } }))).name).toBe(
      "InvalidCiphertextException",
    );
  });

  it("re-encrypts under the same key to change only the encryption context", async () => {
    const a = await keyFor("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");
    const plaintext = randomBytes(16);
    const enc = await encrypt(p.user, { KeyId: a.id, Plaintext: plaintext });
    const res = await reEncrypt(p.user, { CiphertextBlob: enc.CiphertextBlob, SourceKeyId: a.arn, DestinationKeyId: a.id, DestinationEncryptionContext: { tenant: "x" } });
    expect(res.SourceKeyId).toBe(res.KeyId);
    expect((await decrypt(p.user, { CiphertextBlob: res.CiphertextBlob, EncryptionContext: { tenant: "x" } })).Plaintext.equals(plaintext)).toBe(true);
  });

  it("symmetric → RSA (DestinationEncryptionAlgorithm) → symmetric", async () => {
    const sym = await keyFor("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");
    const rsa = await keyFor("RSA_2048", "ENCRYPT_DECRYPT");
    const plaintext = randomBytes(190);
    const enc = await encrypt(p.user, { KeyId: sym.id, Plaintext: plaintext, EncryptionContext: { a: "b" } });
    const toRsa = await reEncrypt(p.user, {
      CiphertextBlob: enc.CiphertextBlob,
      SourceEncryptionContext: { a: "b" },
      DestinationKeyId: rsa.arn,
      DestinationEncryptionAlgorithm: "RSAES_OAEP_SHA_256",
    });
    expect(toRsa).toMatchObject({ KeyId: rsa.arn, DestinationEncryptionAlgorithm: "RSAES_OAEP_SHA_256", SourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT" });
    expect(toRsa.DestinationKeyMaterialId).toBeUndefined();
    expect(toRsa.CiphertextBlob.length).toBe(256);
    const viaDecrypt = await decrypt(p.user, { CiphertextBlob: toRsa.CiphertextBlob, KeyId: rsa.id, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" });
    expect(viaDecrypt.Plaintext.equals(plaintext)).toBe(true);

    // Back from RSA needs SourceKeyId and SourceEncryptionAlgorithm (no header in RSA ciphertext).
    expect((await rejection(reEncrypt(p.user, { CiphertextBlob: toRsa.CiphertextBlob, DestinationKeyId: sym.id }))).name).toBe(
      "InvalidCiphertextException",
    );
    expect(
      (await rejection(reEncrypt(p.user, { CiphertextBlob: toRsa.CiphertextBlob, SourceKeyId: rsa.id, DestinationKeyId: sym.id }))).name,
    ).toBe("InvalidKeyUsageException");
    const back = await reEncrypt(p.user, {
      CiphertextBlob: toRsa.CiphertextBlob,
      SourceKeyId: rsa.id,
      SourceEncryptionAlgorithm: "RSAES_OAEP_SHA_256",
      DestinationKeyId: sym.id,
    });
    expect(back).toMatchObject({ SourceKeyId: rsa.arn, KeyId: sym.arn, SourceEncryptionAlgorithm: "RSAES_OAEP_SHA_256" });
    expect(back.SourceKeyMaterialId).toBeUndefined();
    expect((await decrypt(p.user, { CiphertextBlob: back.CiphertextBlob })).Plaintext.equals(plaintext)).toBe(true);
  });

  it("refuses a plaintext too long for the RSA destination with ValidationException", async () => {
    const sym = await keyFor("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");
    const rsa = await keyFor("RSA_2048", "ENCRYPT_DECRYPT");
    const enc = await encrypt(p.user, { KeyId: sym.id, Plaintext: randomBytes(191) });
    const e = await rejection(reEncrypt(p.user, { CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: rsa.id, DestinationEncryptionAlgorithm: "RSAES_OAEP_SHA_256" }));
    expect(e.name).toBe("ValidationException");
  });
});

// ---- GenerateRandom -----------------------------------------------------------------------------

describe("GenerateRandom", () => {
  it.each([1, 32, 1024])("returns %d random bytes", async (n) => {
    const a = await generateRandom(p.user, { NumberOfBytes: n });
    expect(Object.keys(a)).toEqual(["Plaintext"]);
    expect(a.Plaintext.length).toBe(n);
    if (n >= 32) expect(a.Plaintext.equals((await generateRandom(p.user, { NumberOfBytes: n })).Plaintext)).toBe(false);
  });
});

describe("registry", () => {
  it("registers every crypto operation under its AWS name", () => {
    for (const name of [
      "ReEncrypt",
      "GenerateDataKeyPair",
      "GenerateDataKeyPairWithoutPlaintext",
      "GenerateRandom",
      "GetPublicKey",
      "Sign",
      "Verify",
      "GenerateMac",
      "VerifyMac",
      "DeriveSharedSecret",
    ]) {
      expect(typeof kmsOperations[name]).toBe("function");
    }
    expect(kmsOperations.Sign).toBe(sign);
  });
});
