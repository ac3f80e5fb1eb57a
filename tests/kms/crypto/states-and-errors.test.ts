// Key state × operation matrix, wrong usage, wrong algorithm, request validation, DryRun and
// authorization, each with the exact AWS exception name.
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { decrypt } from "@/lib/kms/operations/decrypt";
import { deriveSharedSecret } from "@/lib/kms/operations/derive-shared-secret";
import { enableKey } from "@/lib/kms/operations/enable-disable-key";
import { encrypt } from "@/lib/kms/operations/encrypt";
import { generateDataKey, generateDataKeyWithoutPlaintext } from "@/lib/kms/operations/generate-data-key";
import { generateDataKeyPair, generateDataKeyPairWithoutPlaintext } from "@/lib/kms/operations/generate-data-key-pair";
import { generateRandom } from "@/lib/kms/operations/generate-random";
import { getPublicKey } from "@/lib/kms/operations/get-public-key";
import { generateMac, verifyMac } from "@/lib/kms/operations/mac";
import { reEncrypt } from "@/lib/kms/operations/re-encrypt";
import { sign, verify } from "@/lib/kms/operations/sign-verify";
import type { Principal } from "@/lib/auth/principal";
import { disable, markPendingDeletion, newKey, outcome, principals, rejection, type CreatedKey, type Principals } from "./fixtures";

let p: Principals;
beforeAll(async () => {
  p = await principals();
});

/** One key of each kind plus artifacts made while it was Enabled. */
interface KeySet {
  sym: CreatedKey;
  rsaEnc: CreatedKey;
  ecSign: CreatedKey;
  hmac: CreatedKey;
  ecdh: CreatedKey;
  symCiphertext: Buffer;
  rsaCiphertext: Buffer;
  signature: Buffer;
  mac: Buffer;
}

const MESSAGE = Buffer.from("the state matrix message");

async function keySet(): Promise<KeySet> {
  const [sym, rsaEnc, ecSign, hmac, ecdh] = await Promise.all([
    newKey(p.admin, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"),
    newKey(p.admin, "RSA_2048", "ENCRYPT_DECRYPT"),
    newKey(p.admin, "ECC_NIST_P256", "SIGN_VERIFY"),
    newKey(p.admin, "HMAC_256", "GENERATE_VERIFY_MAC"),
    newKey(p.admin, "ECC_NIST_P256", "KEY_AGREEMENT"),
  ]);
  const symCiphertext = (await encrypt(p.user, { KeyId: sym.id, Plaintext: MESSAGE })).CiphertextBlob;
  const rsaCiphertext = (await encrypt(p.user, { KeyId: rsaEnc.id, Plaintext: MESSAGE, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" })).CiphertextBlob;
  const signature = (await sign(p.user, { KeyId: ecSign.id, Message: MESSAGE, SigningAlgorithm: "ECDSA_SHA_256" })).Signature;
  const mac = (await generateMac(p.user, { KeyId: hmac.id, Message: MESSAGE, MacAlgorithm: "HMAC_SHA_256" })).Mac;
  return { sym, rsaEnc, ecSign, hmac, ecdh, symCiphertext, rsaCiphertext, signature, mac };
}

const peerSpki = () => generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ format: "der", type: "spki" });

/** Every operation against the keys of `s`; `other` supplies enabled keys for the other side of ReEncrypt. */
function operations(s: KeySet, other: KeySet): Record<string, () => Promise<unknown>> {
  const u = p.user;
  return {
    Encrypt: () => encrypt(u, { KeyId: s.sym.id, Plaintext: MESSAGE }),
    "Encrypt (RSA)": () => encrypt(u, { KeyId: s.rsaEnc.id, Plaintext: MESSAGE, EncryptionAlgorithm: "RSAES_OAEP_SHA_1" }),
    Decrypt: () => decrypt(u, { CiphertextBlob: s.symCiphertext }),
    "Decrypt (RSA)": () => decrypt(u, { CiphertextBlob: s.rsaCiphertext, KeyId: s.rsaEnc.id, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" }),
    GenerateDataKey: () => generateDataKey(u, { KeyId: s.sym.id, KeySpec: "AES_256" }),
    GenerateDataKeyWithoutPlaintext: () => generateDataKeyWithoutPlaintext(u, { KeyId: s.sym.id, KeySpec: "AES_256" }),
    "ReEncrypt (source)": () => reEncrypt(u, { CiphertextBlob: s.symCiphertext, DestinationKeyId: other.sym.id }),
    "ReEncrypt (destination)": () => reEncrypt(u, { CiphertextBlob: other.symCiphertext, DestinationKeyId: s.sym.id }),
    Sign: () => sign(u, { KeyId: s.ecSign.id, Message: MESSAGE, SigningAlgorithm: "ECDSA_SHA_256" }),
    Verify: () => verify(u, { KeyId: s.ecSign.id, Message: MESSAGE, Signature: s.signature, SigningAlgorithm: "ECDSA_SHA_256" }),
    GenerateMac: () => generateMac(u, { KeyId: s.hmac.id, Message: MESSAGE, MacAlgorithm: "HMAC_SHA_256" }),
    VerifyMac: () => verifyMac(u, { KeyId: s.hmac.id, Message: MESSAGE, Mac: s.mac, MacAlgorithm: "HMAC_SHA_256" }),
    GetPublicKey: () => getPublicKey(u, { KeyId: s.ecSign.id }),
    DeriveSharedSecret: () => deriveSharedSecret(u, { KeyId: s.ecdh.id, KeyAgreementAlgorithm: "ECDH", PublicKey: peerSpki() }),
    GenerateDataKeyPair: () => generateDataKeyPair(u, { KeyId: s.sym.id, KeyPairSpec: "ECC_NIST_P256" }),
    GenerateDataKeyPairWithoutPlaintext: () => generateDataKeyPairWithoutPlaintext(u, { KeyId: s.sym.id, KeyPairSpec: "ECC_NIST_P256" }),
  };
}

async function runAll(ops: Record<string, () => Promise<unknown>>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, op] of Object.entries(ops)) out[name] = await outcome(op());
  return out;
}

const expectAll = (ops: Record<string, unknown>, name: string) => Object.fromEntries(Object.keys(ops).map((k) => [k, name]));

describe("key state × operation", () => {
  let enabled: KeySet;
  beforeAll(async () => {
    enabled = await keySet();
  });

  it("every operation succeeds while the keys are Enabled", async () => {
    const ops = operations(enabled, enabled);
    expect(await runAll(ops)).toEqual(expectAll(ops, "ok"));
  });

  it("Disabled → DisabledException everywhere; EnableKey restores service", async () => {
    const s = await keySet();
    for (const k of [s.sym, s.rsaEnc, s.ecSign, s.hmac, s.ecdh]) await disable(p.admin, k);
    const ops = operations(s, enabled);
    expect(await runAll(ops)).toEqual(expectAll(ops, "DisabledException"));
    // DryRun does not get past the state check either.
    expect((await rejection(sign(p.user, { KeyId: s.ecSign.id, Message: MESSAGE, SigningAlgorithm: "ECDSA_SHA_256", DryRun: true }))).name).toBe(
      "DisabledException",
    );
    for (const k of [s.sym, s.rsaEnc, s.ecSign, s.hmac, s.ecdh]) await enableKey(p.admin, { KeyId: k.id });
    expect(await runAll(ops)).toEqual(expectAll(ops, "ok"));
  });

  it("PendingDeletion → KMSInvalidStateException everywhere", async () => {
    const s = await keySet();
    for (const k of [s.sym, s.rsaEnc, s.ecSign, s.hmac, s.ecdh]) await markPendingDeletion(k);
    const ops = operations(s, enabled);
    expect(await runAll(ops)).toEqual(expectAll(ops, "KMSInvalidStateException"));
  });

  it("PendingImport (Origin EXTERNAL, no material yet) → KMSInvalidStateException everywhere", async () => {
    const pending = await newKey(p.admin, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", { Origin: "EXTERNAL" });
    // A ciphertext naming the pending key in its header (it can never have produced one).
    const forged = Buffer.concat([
      Buffer.from([0x4b, 0x01]),
      Buffer.from(pending.id.replace(/-/g, ""), "hex"),
      Buffer.from([0, 0, 0, 1]),
      randomBytes(12 + MESSAGE.length + 16),
    ]);
    // Only symmetric keys can be imported: every key of the set is that pending key; the state check comes first.
    const s: KeySet = { ...enabled, sym: pending, rsaEnc: pending, ecSign: pending, hmac: pending, ecdh: pending, symCiphertext: forged, rsaCiphertext: forged };
    const ops = operations(s, enabled);
    expect(await runAll(ops)).toEqual(expectAll(ops, "KMSInvalidStateException"));
  });
});

describe("wrong key usage → InvalidKeyUsageException", () => {
  let s: KeySet;
  let rsaSign: CreatedKey;
  beforeAll(async () => {
    s = await keySet();
    rsaSign = await newKey(p.admin, "RSA_2048", "SIGN_VERIFY");
  });

  it.each([
    ["Encrypt with a signing key", () => encrypt(p.user, { KeyId: s.ecSign.id, Plaintext: MESSAGE })],
    ["Encrypt with an HMAC key", () => encrypt(p.user, { KeyId: s.hmac.id, Plaintext: MESSAGE })],
    ["Decrypt with an RSA signing key", () => decrypt(p.user, { CiphertextBlob: s.rsaCiphertext, KeyId: rsaSign.id, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" })],
    ["GenerateDataKey with an HMAC key", () => generateDataKey(p.user, { KeyId: s.hmac.id, NumberOfBytes: 32 })],
    ["GenerateDataKey with an RSA key", () => generateDataKey(p.user, { KeyId: s.rsaEnc.id, NumberOfBytes: 32 })],
    ["ReEncrypt to a signing key", () => reEncrypt(p.user, { CiphertextBlob: s.symCiphertext, DestinationKeyId: s.ecSign.id })],
    ["ReEncrypt from a signing key", () => reEncrypt(p.user, { CiphertextBlob: s.rsaCiphertext, SourceKeyId: rsaSign.id, SourceEncryptionAlgorithm: "RSAES_OAEP_SHA_256", DestinationKeyId: s.sym.id })],
    ["Sign with an RSA encryption key", () => sign(p.user, { KeyId: s.rsaEnc.id, Message: MESSAGE, SigningAlgorithm: "RSASSA_PSS_SHA_256" })],
    ["Sign with a symmetric key", () => sign(p.user, { KeyId: s.sym.id, Message: MESSAGE, SigningAlgorithm: "ECDSA_SHA_256" })],
    ["Sign with a key-agreement key", () => sign(p.user, { KeyId: s.ecdh.id, Message: MESSAGE, SigningAlgorithm: "ECDSA_SHA_256" })],
    ["Verify with an HMAC key", () => verify(p.user, { KeyId: s.hmac.id, Message: MESSAGE, Signature: s.signature, SigningAlgorithm: "ECDSA_SHA_256" })],
    ["GenerateMac with a symmetric key", () => generateMac(p.user, { KeyId: s.sym.id, Message: MESSAGE, MacAlgorithm: "HMAC_SHA_256" })],
    ["GenerateMac with a signing key", () => generateMac(p.user, { KeyId: s.ecSign.id, Message: MESSAGE, MacAlgorithm: "HMAC_SHA_256" })],
    ["VerifyMac with a symmetric key", () => verifyMac(p.user, { KeyId: s.sym.id, Message: MESSAGE, Mac: s.mac, MacAlgorithm: "HMAC_SHA_256" })],
    ["DeriveSharedSecret with a signing key", () => deriveSharedSecret(p.user, { KeyId: s.ecSign.id, KeyAgreementAlgorithm: "ECDH", PublicKey: peerSpki() })],
    ["DeriveSharedSecret with a symmetric key", () => deriveSharedSecret(p.user, { KeyId: s.sym.id, KeyAgreementAlgorithm: "ECDH", PublicKey: peerSpki() })],
    ["GenerateDataKeyPair with an RSA key", () => generateDataKeyPair(p.user, { KeyId: s.rsaEnc.id, KeyPairSpec: "RSA_2048" })],
    ["GenerateDataKeyPair with an HMAC key", () => generateDataKeyPair(p.user, { KeyId: s.hmac.id, KeyPairSpec: "RSA_2048" })],
    ["GenerateDataKeyPairWithoutPlaintext with a key-agreement key", () => generateDataKeyPairWithoutPlaintext(p.user, { KeyId: s.ecdh.id, KeyPairSpec: "ECC_NIST_P256" })],
  ])("%s", async (_label, call) => {
    expect((await rejection(call())).name).toBe("InvalidKeyUsageException");
  });
});

describe("wrong algorithm for the key → InvalidKeyUsageException", () => {
  let s: KeySet;
  let rsaSign: CreatedKey;
  let ed: CreatedKey;
  let mldsa: CreatedKey;
  beforeAll(async () => {
    s = await keySet();
    [rsaSign, ed, mldsa] = await Promise.all([
      newKey(p.admin, "RSA_2048", "SIGN_VERIFY"),
      newKey(p.admin, "ECC_NIST_EDWARDS25519", "SIGN_VERIFY"),
      newKey(p.admin, "ML_DSA_44", "SIGN_VERIFY"),
    ]);
  });
  const digest256 = createHash("sha256").update(MESSAGE).digest();

  it.each([
    ["Encrypt symmetric with RSAES_OAEP_SHA_256", () => encrypt(p.user, { KeyId: s.sym.id, Plaintext: MESSAGE, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" })],
    ["Encrypt RSA with SYMMETRIC_DEFAULT (the default)", () => encrypt(p.user, { KeyId: s.rsaEnc.id, Plaintext: MESSAGE })],
    ["Decrypt RSA ciphertext with SYMMETRIC_DEFAULT", () => decrypt(p.user, { CiphertextBlob: s.rsaCiphertext, KeyId: s.rsaEnc.id })],
    ["Decrypt symmetric with RSAES_OAEP_SHA_1", () => decrypt(p.user, { CiphertextBlob: s.symCiphertext, EncryptionAlgorithm: "RSAES_OAEP_SHA_1" })],
    ["ReEncrypt to symmetric with RSAES_OAEP_SHA_1", () => reEncrypt(p.user, { CiphertextBlob: s.symCiphertext, DestinationKeyId: s.sym.id, DestinationEncryptionAlgorithm: "RSAES_OAEP_SHA_1" })],
    ["ReEncrypt to RSA without an algorithm", () => reEncrypt(p.user, { CiphertextBlob: s.symCiphertext, DestinationKeyId: s.rsaEnc.id })],
    ["ReEncrypt to RSA with SM2PKE", () => reEncrypt(p.user, { CiphertextBlob: s.symCiphertext, DestinationKeyId: s.rsaEnc.id, DestinationEncryptionAlgorithm: "SM2PKE" })],
    ["Sign P-256 with ECDSA_SHA_384", () => sign(p.user, { KeyId: s.ecSign.id, Message: MESSAGE, SigningAlgorithm: "ECDSA_SHA_384" })],
    ["Sign P-256 with RSASSA_PSS_SHA_256", () => sign(p.user, { KeyId: s.ecSign.id, Message: MESSAGE, SigningAlgorithm: "RSASSA_PSS_SHA_256" })],
    ["Sign P-256 with SM2DSA", () => sign(p.user, { KeyId: s.ecSign.id, Message: MESSAGE, SigningAlgorithm: "SM2DSA" })],
    ["Sign RSA with ECDSA_SHA_256", () => sign(p.user, { KeyId: rsaSign.id, Message: MESSAGE, SigningAlgorithm: "ECDSA_SHA_256" })],
    ["Sign Ed25519 with ECDSA_SHA_512", () => sign(p.user, { KeyId: ed.id, Message: MESSAGE, SigningAlgorithm: "ECDSA_SHA_512" })],
    ["Sign ML-DSA with ED25519_SHA_512", () => sign(p.user, { KeyId: mldsa.id, Message: MESSAGE, SigningAlgorithm: "ED25519_SHA_512" })],
    ["Sign RSA with ML_DSA_SHAKE_256", () => sign(p.user, { KeyId: rsaSign.id, Message: MESSAGE, SigningAlgorithm: "ML_DSA_SHAKE_256" })],
    ["Verify P-256 with ECDSA_SHA_512 (DIGEST)", () => verify(p.user, { KeyId: s.ecSign.id, Message: digest256, MessageType: "DIGEST", Signature: s.signature, SigningAlgorithm: "ECDSA_SHA_512" })],
    ["GenerateMac HMAC_256 with HMAC_SHA_512", () => generateMac(p.user, { KeyId: s.hmac.id, Message: MESSAGE, MacAlgorithm: "HMAC_SHA_512" })],
    ["VerifyMac HMAC_256 with HMAC_SHA_224", () => verifyMac(p.user, { KeyId: s.hmac.id, Message: MESSAGE, Mac: s.mac, MacAlgorithm: "HMAC_SHA_224" })],
  ])("%s", async (_label, call) => {
    expect((await rejection(call())).name).toBe("InvalidKeyUsageException");
  });
});

describe("request validation → ValidationException (or UnsupportedOperationException for AWS features Keyhold lacks)", () => {
  let s: KeySet;
  let ed: CreatedKey;
  let mldsa: CreatedKey;
  beforeAll(async () => {
    s = await keySet();
    [ed, mldsa] = await Promise.all([newKey(p.admin, "ECC_NIST_EDWARDS25519", "SIGN_VERIFY"), newKey(p.admin, "ML_DSA_44", "SIGN_VERIFY")]);
  });

  /** A P-256 SPKI whose point is not on the curve (last byte of y changed). */
  function offCurveSpki(): Buffer {
    const der = Buffer.from(peerSpki());
    der[der.length - 1] ^= 0x01;
    return der;
  }

  const cases: Array<[string, () => Promise<unknown>, string]> = [
    ["Sign DIGEST of the wrong length", () => sign(p.user, { KeyId: s.ecSign.id, Message: randomBytes(31), MessageType: "DIGEST", SigningAlgorithm: "ECDSA_SHA_256" }), "ValidationException"],
    ["Sign DIGEST of a SHA-512 length for ECDSA_SHA_256", () => sign(p.user, { KeyId: s.ecSign.id, Message: randomBytes(64), MessageType: "DIGEST", SigningAlgorithm: "ECDSA_SHA_256" }), "ValidationException"],
    ["Sign EXTERNAL_MU with ECDSA", () => sign(p.user, { KeyId: s.ecSign.id, Message: randomBytes(64), MessageType: "EXTERNAL_MU", SigningAlgorithm: "ECDSA_SHA_256" }), "ValidationException"],
    ["Sign ED25519_SHA_512 with DIGEST", () => sign(p.user, { KeyId: ed.id, Message: randomBytes(64), MessageType: "DIGEST", SigningAlgorithm: "ED25519_SHA_512" }), "ValidationException"],
    ["Sign ED25519_PH_SHA_512 with RAW", () => sign(p.user, { KeyId: ed.id, Message: MESSAGE, MessageType: "RAW", SigningAlgorithm: "ED25519_PH_SHA_512" }), "ValidationException"],
    ["Sign ML-DSA EXTERNAL_MU of 32 bytes", () => sign(p.user, { KeyId: mldsa.id, Message: randomBytes(32), MessageType: "EXTERNAL_MU", SigningAlgorithm: "ML_DSA_SHAKE_256" }), "ValidationException"],
    ["Sign ML-DSA with DIGEST", () => sign(p.user, { KeyId: mldsa.id, Message: randomBytes(64), MessageType: "DIGEST", SigningAlgorithm: "ML_DSA_SHAKE_256" }), "ValidationException"],
    ["Sign a RAW message of 4097 bytes", () => sign(p.user, { KeyId: s.ecSign.id, Message: randomBytes(4097), SigningAlgorithm: "ECDSA_SHA_256" }), "ValidationException"],
    ["Sign an empty message", () => sign(p.user, { KeyId: s.ecSign.id, Message: new Uint8Array(0), SigningAlgorithm: "ECDSA_SHA_256" }), "ValidationException"],
    ["Sign with an unknown MessageType", () => sign(p.user, { KeyId: s.ecSign.id, Message: MESSAGE, MessageType: "HASH", SigningAlgorithm: "ECDSA_SHA_256" }), "ValidationException"],
    ["Sign with an unknown algorithm", () => sign(p.user, { KeyId: s.ecSign.id, Message: MESSAGE, SigningAlgorithm: "ECDSA_SHA_1" }), "ValidationException"],
    ["Sign without SigningAlgorithm", () => sign(p.user, { KeyId: s.ecSign.id, Message: MESSAGE }), "ValidationException"],
    ["Sign with a base64 string instead of bytes", () => sign(p.user, { KeyId: s.ecSign.id, Message: "aGVsbG8=", SigningAlgorithm: "ECDSA_SHA_256" }), "ValidationException"],
    ["Verify with a 6145-byte signature", () => verify(p.user, { KeyId: s.ecSign.id, Message: MESSAGE, Signature: randomBytes(6145), SigningAlgorithm: "ECDSA_SHA_256" }), "ValidationException"],
    ["Verify without Signature", () => verify(p.user, { KeyId: s.ecSign.id, Message: MESSAGE, SigningAlgorithm: "ECDSA_SHA_256" }), "ValidationException"],
    ["Verify a garbage signature", () => verify(p.user, { KeyId: s.ecSign.id, Message: MESSAGE, Signature: randomBytes(70), SigningAlgorithm: "ECDSA_SHA_256" }), "KMSInvalidSignatureException"],
    ["GenerateMac of 4097 bytes", () => generateMac(p.user, { KeyId: s.hmac.id, Message: randomBytes(4097), MacAlgorithm: "HMAC_SHA_256" }), "ValidationException"],
    ["GenerateMac of an empty message", () => generateMac(p.user, { KeyId: s.hmac.id, Message: new Uint8Array(0), MacAlgorithm: "HMAC_SHA_256" }), "ValidationException"],
    ["GenerateMac with HMAC_SHA_1", () => generateMac(p.user, { KeyId: s.hmac.id, Message: MESSAGE, MacAlgorithm: "HMAC_SHA_1" }), "ValidationException"],
    ["VerifyMac without Mac", () => verifyMac(p.user, { KeyId: s.hmac.id, Message: MESSAGE, MacAlgorithm: "HMAC_SHA_256" }), "ValidationException"],
    ["DeriveSharedSecret with a P-384 peer for a P-256 key", () => deriveSharedSecret(p.user, { KeyId: s.ecdh.id, KeyAgreementAlgorithm: "ECDH", PublicKey: generateKeyPairSync("ec", { namedCurve: "secp384r1" }).publicKey.export({ format: "der", type: "spki" }) }), "ValidationException"],
    ["DeriveSharedSecret with a secp256k1 peer", () => deriveSharedSecret(p.user, { KeyId: s.ecdh.id, KeyAgreementAlgorithm: "ECDH", PublicKey: generateKeyPairSync("ec", { namedCurve: "secp256k1" }).publicKey.export({ format: "der", type: "spki" }) }), "ValidationException"],
    ["DeriveSharedSecret with an X25519 peer", () => deriveSharedSecret(p.user, { KeyId: s.ecdh.id, KeyAgreementAlgorithm: "ECDH", PublicKey: generateKeyPairSync("x25519").publicKey.export({ format: "der", type: "spki" }) }), "ValidationException"],
    ["DeriveSharedSecret with an RSA peer", () => deriveSharedSecret(p.user, { KeyId: s.ecdh.id, KeyAgreementAlgorithm: "ECDH", PublicKey: generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "der", type: "spki" }) }), "ValidationException"],
    ["DeriveSharedSecret with an off-curve point", () => deriveSharedSecret(p.user, { KeyId: s.ecdh.id, KeyAgreementAlgorithm: "ECDH", PublicKey: offCurveSpki() }), "ValidationException"],
    ["DeriveSharedSecret with garbage bytes", () => deriveSharedSecret(p.user, { KeyId: s.ecdh.id, KeyAgreementAlgorithm: "ECDH", PublicKey: randomBytes(91) }), "ValidationException"],
    ["DeriveSharedSecret with a raw (non-SPKI) point", () => deriveSharedSecret(p.user, { KeyId: s.ecdh.id, KeyAgreementAlgorithm: "ECDH", PublicKey: peerSpki().subarray(26) }), "ValidationException"],
    ["DeriveSharedSecret with algorithm ECDHE", () => deriveSharedSecret(p.user, { KeyId: s.ecdh.id, KeyAgreementAlgorithm: "ECDHE", PublicKey: peerSpki() }), "ValidationException"],
    ["DeriveSharedSecret with Recipient", () => deriveSharedSecret(p.user, { KeyId: s.ecdh.id, KeyAgreementAlgorithm: "ECDH", PublicKey: peerSpki(), Recipient: { AttestationDocument: randomBytes(8) } }), "UnsupportedOperationException"],
    ["GenerateDataKeyPair SM2", () => generateDataKeyPair(p.user, { KeyId: s.sym.id, KeyPairSpec: "SM2" }), "UnsupportedOperationException"],
    ["GenerateDataKeyPairWithoutPlaintext SM2", () => generateDataKeyPairWithoutPlaintext(p.user, { KeyId: s.sym.id, KeyPairSpec: "SM2" }), "UnsupportedOperationException"],
    ["GenerateDataKeyPair RSA_1024", () => generateDataKeyPair(p.user, { KeyId: s.sym.id, KeyPairSpec: "RSA_1024" }), "ValidationException"],
    ["GenerateDataKeyPair without KeyPairSpec", () => generateDataKeyPair(p.user, { KeyId: s.sym.id }), "ValidationException"],
    ["GenerateDataKeyPair with Recipient", () => generateDataKeyPair(p.user, { KeyId: s.sym.id, KeyPairSpec: "RSA_2048", Recipient: { AttestationDocument: randomBytes(8) } }), "UnsupportedOperationException"],
    ["GenerateRandom 0 bytes", () => generateRandom(p.user, { NumberOfBytes: 0 }), "ValidationException"],
    ["GenerateRandom 1025 bytes", () => generateRandom(p.user, { NumberOfBytes: 1025 }), "ValidationException"],
    ["GenerateRandom 1.5 bytes", () => generateRandom(p.user, { NumberOfBytes: 1.5 }), "ValidationException"],
    ["GenerateRandom without NumberOfBytes", () => generateRandom(p.user, {}), "ValidationException"],
    ["GenerateRandom with an unknown CustomKeyStoreId", () => generateRandom(p.user, { NumberOfBytes: 8, CustomKeyStoreId: "cks-1234567890abcdef0" }), "CustomKeyStoreNotFoundException"],
    ["ReEncrypt without DestinationKeyId", () => reEncrypt(p.user, { CiphertextBlob: s.symCiphertext }), "ValidationException"],
    ["ReEncrypt without CiphertextBlob", () => reEncrypt(p.user, { DestinationKeyId: s.sym.id }), "ValidationException"],
    ["ReEncrypt with an encryption context for an RSA destination", () => reEncrypt(p.user, { CiphertextBlob: s.symCiphertext, DestinationKeyId: s.rsaEnc.id, DestinationEncryptionAlgorithm: "RSAES_OAEP_SHA_1", DestinationEncryptionContext: { a: "b" } }), "ValidationException"],
    ["ReEncrypt with an unknown SourceKeyId alias", () => reEncrypt(p.user, { CiphertextBlob: s.symCiphertext, SourceKeyId: "alias/does-not-exist", DestinationKeyId: s.sym.id }), "NotFoundException"],
    ["Sign with an unknown key", () => sign(p.user, { KeyId: "00000000-0000-4000-8000-000000000000", Message: MESSAGE, SigningAlgorithm: "ECDSA_SHA_256" }), "NotFoundException"],
    ["GetPublicKey with an unknown alias", () => getPublicKey(p.user, { KeyId: "alias/nope" }), "NotFoundException"],
  ];
  it.each(cases)("%s", async (_label, call, name) => {
    expect((await rejection(call())).name).toBe(name);
  });

  it("ReEncrypt with a SourceKeyId of another symmetric key → IncorrectKeyException", async () => {
    const other = await newKey(p.admin, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");
    const e = await rejection(reEncrypt(p.user, { CiphertextBlob: s.symCiphertext, SourceKeyId: other.id, DestinationKeyId: s.sym.id }));
    expect(e.name).toBe("IncorrectKeyException");
  });

  it("validation messages name the field, never the value", async () => {
    const secret = "c2VjcmV0LXZhbHVl";
    const e = await rejection(sign(p.user, { KeyId: s.ecSign.id, Message: secret, SigningAlgorithm: "ECDSA_SHA_256" }));
    expect(e.message).toMatch(/Value at 'message' failed to satisfy constraint/);
    expect(e.message).not.toContain(secret);
  });
});

describe("DryRun → DryRunOperationException after all checks, with no effect", () => {
  let s: KeySet;
  beforeAll(async () => {
    s = await keySet();
  });
  it.each([
    ["ReEncrypt", () => reEncrypt(p.user, { CiphertextBlob: s.symCiphertext, DestinationKeyId: s.sym.id, DryRun: true })],
    ["ReEncrypt IGNORE_CIPHERTEXT", () => reEncrypt(p.user, { SourceKeyId: s.sym.id, DestinationKeyId: s.sym.id, DryRun: true, DryRunModifiers: ["IGNORE_CIPHERTEXT"] })],
    ["GenerateDataKeyPair", () => generateDataKeyPair(p.user, { KeyId: s.sym.id, KeyPairSpec: "RSA_4096", DryRun: true })],
    ["GenerateDataKeyPairWithoutPlaintext", () => generateDataKeyPairWithoutPlaintext(p.user, { KeyId: s.sym.id, KeyPairSpec: "RSA_4096", DryRun: true })],
    ["Sign", () => sign(p.user, { KeyId: s.ecSign.id, Message: MESSAGE, SigningAlgorithm: "ECDSA_SHA_256", DryRun: true })],
    ["Verify", () => verify(p.user, { KeyId: s.ecSign.id, Message: MESSAGE, Signature: randomBytes(70), SigningAlgorithm: "ECDSA_SHA_256", DryRun: true })],
    ["GenerateMac", () => generateMac(p.user, { KeyId: s.hmac.id, Message: MESSAGE, MacAlgorithm: "HMAC_SHA_256", DryRun: true })],
    ["VerifyMac", () => verifyMac(p.user, { KeyId: s.hmac.id, Message: MESSAGE, Mac: randomBytes(32), MacAlgorithm: "HMAC_SHA_256", DryRun: true })],
    ["DeriveSharedSecret", () => deriveSharedSecret(p.user, { KeyId: s.ecdh.id, KeyAgreementAlgorithm: "ECDH", PublicKey: peerSpki(), DryRun: true })],
  ])("%s", async (_label, call) => {
    expect((await rejection(call())).name).toBe("DryRunOperationException");
  });

  it("ReEncrypt IGNORE_CIPHERTEXT needs SourceKeyId; DryRun still checks usage", async () => {
    expect((await rejection(reEncrypt(p.user, { DestinationKeyId: s.sym.id, DryRun: true, DryRunModifiers: ["IGNORE_CIPHERTEXT"] }))).name).toBe("ValidationException");
    expect(
      (await rejection(reEncrypt(p.user, { SourceKeyId: s.sym.id, DestinationKeyId: s.ecSign.id, DryRun: true, DryRunModifiers: ["IGNORE_CIPHERTEXT"] }))).name,
    ).toBe("InvalidKeyUsageException");
    expect((await rejection(sign(p.user, { KeyId: s.ecSign.id, Message: MESSAGE, SigningAlgorithm: "ECDSA_SHA_384", DryRun: true }))).name).toBe(
      "InvalidKeyUsageException",
    );
  });
});

describe("authorization (role gates; separation of duties)", () => {
  let s: KeySet;
  beforeAll(async () => {
    s = await keySet();
  });
  const calls = (who: () => Principal): Array<[string, () => Promise<unknown>]> => [
    ["ReEncrypt", () => reEncrypt(who(), { CiphertextBlob: s.symCiphertext, DestinationKeyId: s.sym.id })],
    ["GenerateDataKeyPair", () => generateDataKeyPair(who(), { KeyId: s.sym.id, KeyPairSpec: "ECC_NIST_P256" })],
    ["GenerateDataKeyPairWithoutPlaintext", () => generateDataKeyPairWithoutPlaintext(who(), { KeyId: s.sym.id, KeyPairSpec: "ECC_NIST_P256" })],
    ["GenerateRandom", () => generateRandom(who(), { NumberOfBytes: 8 })],
    ["Sign", () => sign(who(), { KeyId: s.ecSign.id, Message: MESSAGE, SigningAlgorithm: "ECDSA_SHA_256" })],
    ["Verify", () => verify(who(), { KeyId: s.ecSign.id, Message: MESSAGE, Signature: s.signature, SigningAlgorithm: "ECDSA_SHA_256" })],
    ["GenerateMac", () => generateMac(who(), { KeyId: s.hmac.id, Message: MESSAGE, MacAlgorithm: "HMAC_SHA_256" })],
    ["VerifyMac", () => verifyMac(who(), { KeyId: s.hmac.id, Message: MESSAGE, Mac: s.mac, MacAlgorithm: "HMAC_SHA_256" })],
    ["DeriveSharedSecret", () => deriveSharedSecret(who(), { KeyId: s.ecdh.id, KeyAgreementAlgorithm: "ECDH", PublicKey: peerSpki() })],
  ];
  it.each(calls(() => p.admin))("a key administrator may not use keys: %s → AccessDeniedException (403)", async (_label, call) => {
    const e = await rejection(call());
    expect(e.name).toBe("AccessDeniedException");
    expect(e.status).toBe(403);
  });
  it.each(calls(() => p.auditor))("an auditor may not use keys: %s → AccessDeniedException", async (_label, call) => {
    expect((await rejection(call())).name).toBe("AccessDeniedException");
  });
  it("key administrators and auditors may read public keys", async () => {
    expect((await getPublicKey(p.admin, { KeyId: s.ecSign.id })).KeyId).toBe(s.ecSign.arn);
    expect((await getPublicKey(p.auditor, { KeyId: s.ecSign.id })).KeyId).toBe(s.ecSign.arn);
  });
});
