// RSA signatures over a caller-supplied digest (MessageType DIGEST). node:crypto's sign/verify
// always hash the input, so we build the encoded message ourselves and use the raw RSA
// primitive (privateEncrypt / publicDecrypt). Both encodings follow RFC 8017 exactly; tests
// check the output with node's own crypto.verify and against Wycheproof.
import {
  constants,
  createHash,
  privateEncrypt,
  publicDecrypt,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from "node:crypto";

type Hash = "sha256" | "sha384" | "sha512";
/** Hashes the PSS verifier accepts for its (test-only) non-AWS parameters. */
type PssHash = "sha1" | "sha224" | Hash;

const HLEN: Record<PssHash, number> = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

// DER DigestInfo prefixes (RFC 8017 §9.2 note 1).
const DIGEST_INFO_PREFIX: Record<Hash, Buffer> = {
  sha256: Buffer.from("3031300d060960864801650304020105000420", "hex"),
  sha384: Buffer.from("3041300d060960864801650304020205000430", "hex"),
  sha512: Buffer.from("3051300d060960864801650304020305000440", "hex"),
};

function modulusBits(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (!bits) throw new Error("not an RSA key");
  return bits;
}

// ---- PKCS#1 v1.5 --------------------------------------------------------------------------------

export function pkcs1SignDigest(privateKey: KeyObject, hash: Hash, digest: Uint8Array): Buffer {
  // privateEncrypt with PKCS1 padding applies EMSA-PKCS1-v1_5 type-1 padding to DigestInfo.
  return privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([DIGEST_INFO_PREFIX[hash], digest]));
}

export function pkcs1VerifyDigest(publicKey: KeyObject, hash: Hash, digest: Uint8Array, sig: Uint8Array): boolean {
  if (sig.length !== Math.ceil(modulusBits(publicKey) / 8)) return false;
  let recovered: Buffer;
  try {
    recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, sig);
  } catch {
    return false;
  }
  const expected = Buffer.concat([DIGEST_INFO_PREFIX[hash], digest]);
  return recovered.length === expected.length && timingSafeEqual(recovered, expected);
}

// ---- PSS (salt length = hash length, as AWS) ------------------------------------------------------

function mgf1(hash: PssHash, seed: Uint8Array, len: number): Buffer {
  const out: Buffer[] = [];
  const c = Buffer.alloc(4);
  for (let i = 0, n = 0; n < len; i++, n += HLEN[hash]) {
    c.writeUInt32BE(i, 0);
    out.push(createHash(hash).update(seed).update(c).digest());
  }
  return Buffer.concat(out).subarray(0, len);
}

function pssHash(hash: PssHash, mHash: Uint8Array, salt: Uint8Array): Buffer {
  return createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
}

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with sLen = hLen, then RSASP1. */
export function pssSignDigest(privateKey: KeyObject, hash: Hash, mHash: Uint8Array): Buffer {
  const hLen = HLEN[hash];
  const modBits = modulusBits(privateKey);
  const k = Math.ceil(modBits / 8);
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(hLen);
  const h = pssHash(hash, mHash, salt);
  const db = Buffer.alloc(emLen - hLen - 1); // PS (zeros) || 0x01 || salt
  db[db.length - hLen - 1] = 0x01;
  salt.copy(db, db.length - hLen);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLen - emBits);
  const em = Buffer.concat([Buffer.alloc(k - emLen), db, h, Buffer.from([0xbc])]);
  return privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, em);
}

/**
 * RSAVP1 then EMSA-PSS-VERIFY (RFC 8017 §9.1.2). AWS uses MGF1 with the message hash and
 * sLen = hLen (the defaults); the other parameters exist so Wycheproof can exercise this code
 * with its full parameter matrix.
 */
export function pssVerifyDigest(
  publicKey: KeyObject,
  hash: PssHash,
  mHash: Uint8Array,
  sig: Uint8Array,
  params: { mgfHash?: PssHash; saltLength?: number } = {},
): boolean {
  const hLen = HLEN[hash];
  const mgfHash = params.mgfHash ?? hash;
  const sLen = params.saltLength ?? hLen;
  const modBits = modulusBits(publicKey);
  const k = Math.ceil(modBits / 8);
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  if (mHash.length !== hLen || sig.length !== k || emLen < hLen + sLen + 2) return false;
  let m: Buffer;
  try {
    m = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, sig); // fails if sig ≥ n
  } catch {
    return false;
  }
  if (m.length !== k || m.subarray(0, k - emLen).some((b) => b !== 0)) return false;
  const em = m.subarray(k - emLen);
  if (em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topMask = 0xff >> (8 * emLen - emBits);
  if ((maskedDb[0] & ~topMask) !== 0) return false;
  const mask = mgf1(mgfHash, h, maskedDb.length);
  const db = Buffer.alloc(maskedDb.length);
  for (let i = 0; i < db.length; i++) db[i] = maskedDb[i] ^ mask[i];
  db[0] &= topMask;
  const psLen = emLen - hLen - sLen - 2;
  if (db.subarray(0, psLen).some((b) => b !== 0) || db[psLen] !== 0x01) return false;
  const h2 = pssHash(hash, mHash, db.subarray(db.length - sLen));
  return timingSafeEqual(h, h2);
}
