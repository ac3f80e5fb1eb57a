// Round trips for every key spec × usage × algorithm × message type. Signatures are verified with
// plain node:crypto (or noble, where node has no algorithm) from the exported public key DER, as an
// outside party holding GetPublicKey output would.
import { constants, createHash, createPublicKey, diffieHellman, generateKeyPairSync, publicEncrypt, verify, type KeyObject } from "node:crypto";
import { ed25519ph } from "@noble/curves/ed25519.js";
import { p256, p384, p521 } from "@noble/curves/nist.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { describe, expect, it } from "vitest";
import { CiphertextError, CryptoError } from "./errors";
import { generateKeyMaterial } from "./key-material";
import { generateDataKeyPair } from "./keys/data-key-pair";
import { openKey, openPublicKey } from "./keys/open-key";
import {
  algorithmsFor,
  DATA_KEY_PAIR_SPECS,
  digestLengthFor,
  KEY_SPECS,
  messageTypesFor,
  RSA_MAX_PLAINTEXT_BYTES,
  signingHash,
  usagesFor,
  type KeySpec,
  type SigningAlgorithm,
} from "./specs";

const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const msg = Buffer.from("the quick brown fox");

// Keys are generated once per spec (RSA-4096 generation is slow).
const material = new Map<KeySpec, Buffer>(KEY_SPECS.map((s) => [s, generateKeyMaterial(s)]));

/** Independent verification from SPKI DER only. Returns undefined if no outside verifier exists. */
function outsideVerify(spec: KeySpec, der: Buffer, alg: SigningAlgorithm, message: Buffer, mt: string, sig: Buffer): boolean | undefined {
  const hash = signingHash(alg);
  const pub = spec.startsWith("ML_DSA") ? undefined : createPublicKey({ key: der, format: "der", type: "spki" });
  if (alg.startsWith("RSASSA") && pub) {
    const raw = mt === "RAW" ? message : undefined;
    const pss = alg.includes("PSS");
    const opts = pss ? { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: { sha256: 32, sha384: 48, sha512: 64 }[hash as "sha256"] } : { key: pub };
    if (raw) return verify(hash!, raw, opts, sig);
    return undefined; // DIGEST checked below against the RAW message the digest came from
  }
  if (alg.startsWith("ECDSA") && pub) {
    if (mt === "RAW") return verify(hash!, message, { key: pub, dsaEncoding: "der" }, sig);
    return undefined;
  }
  if (alg === "ED25519_SHA_512" && pub) return verify(null, message, pub, sig);
  if (alg === "ED25519_PH_SHA_512" && pub) {
    const raw = Buffer.from(pub.export({ format: "jwk" }).x!, "base64url");
    return ed25519ph.verify(sig, message, raw);
  }
  return undefined;
}

describe("every key spec × usage × algorithm", () => {
  for (const spec of KEY_SPECS) {
    for (const usage of usagesFor(spec)) {
      for (const alg of algorithmsFor(spec, usage)) {
        it(`${spec} ${usage} ${alg}`, () => {
          const key = openKey(spec, material.get(spec)!);
          switch (key.kind) {
            case "symmetric": {
              const blob = key.encrypt(KEY_ID, 1, msg, { purpose: "test" });
              expect(key.decrypt(blob, { purpose: "test" }).equals(msg)).toBe(true);
              break;
            }
            case "rsa": {
              if (usage === "ENCRYPT_DECRYPT") {
                const a = alg as "RSAES_OAEP_SHA_1" | "RSAES_OAEP_SHA_256";
                const max = RSA_MAX_PLAINTEXT_BYTES[key.keySpec][a];
                const big = Buffer.alloc(max, 7);
                expect(key.decrypt(key.encrypt(big, a), a).equals(big)).toBe(true);
                expect(() => key.encrypt(Buffer.alloc(max + 1), a)).toThrow(CryptoError);
                // An outside party encrypts with plain node:crypto from the public key DER.
                const ct = publicEncrypt(
                  { key: createPublicKey({ key: key.publicKeyDer(), format: "der", type: "spki" }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: a === "RSAES_OAEP_SHA_1" ? "sha1" : "sha256" },
                  msg,
                );
                expect(key.decrypt(ct, a).equals(msg)).toBe(true);
                const other = a === "RSAES_OAEP_SHA_1" ? "RSAES_OAEP_SHA_256" : "RSAES_OAEP_SHA_1";
                expect(() => key.decrypt(ct, other)).toThrow(CiphertextError);
                expect(() => key.encrypt(msg, "SYMMETRIC_DEFAULT")).toThrow(CryptoError);
                break;
              }
              signRoundTrip(spec, key, alg as SigningAlgorithm);
              break;
            }
            case "ec":
            case "ed25519":
            case "ml-dsa":
              if (usage === "KEY_AGREEMENT" && key.kind === "ec") {
                const curve = { ECC_NIST_P256: "prime256v1", ECC_NIST_P384: "secp384r1", ECC_NIST_P521: "secp521r1" }[spec as "ECC_NIST_P256"];
                const peer = generateKeyPairSync("ec", { namedCurve: curve });
                const ours = key.deriveSharedSecret(peer.publicKey.export({ format: "der", type: "spki" }));
                const theirs = nodeEcdh(peer.privateKey, key.publicKeyDer());
                expect(ours.equals(theirs)).toBe(true);
                const wrongCurve = generateKeyPairSync("ec", { namedCurve: curve === "prime256v1" ? "secp384r1" : "prime256v1" });
                expect(() => key.deriveSharedSecret(wrongCurve.publicKey.export({ format: "der", type: "spki" }))).toThrow(/curve/);
                expect(() => key.deriveSharedSecret(Buffer.from("not a key"))).toThrow(CryptoError);
                break;
              }
              signRoundTrip(spec, key, alg as SigningAlgorithm);
              break;
            case "hmac": {
              const a = alg as "HMAC_SHA_256";
              const mac = key.generateMac(msg, a);
              expect(key.verifyMac(msg, mac, a)).toBe(true);
              expect(key.verifyMac(Buffer.from("other"), mac, a)).toBe(false);
              expect(key.verifyMac(msg, mac.subarray(0, mac.length - 1), a)).toBe(false);
              const bad = Buffer.from(mac);
              bad[0] ^= 1;
              expect(key.verifyMac(msg, bad, a)).toBe(false);
              break;
            }
          }
        });
      }
    }
  }
});

function nodeEcdh(priv: KeyObject, peerDer: Buffer): Buffer {
  return diffieHellman({ privateKey: priv, publicKey: createPublicKey({ key: peerDer, format: "der", type: "spki" }) });
}

type Signer = { sign(m: Buffer, a: SigningAlgorithm, t: "RAW" | "DIGEST" | "EXTERNAL_MU"): Buffer; verify(m: Buffer, s: Buffer, a: SigningAlgorithm, t: "RAW" | "DIGEST" | "EXTERNAL_MU"): boolean; publicKeyDer(): Buffer };

function signRoundTrip(spec: KeySpec, key: Signer, alg: SigningAlgorithm) {
  const pub = openPublicKey(spec, key.publicKeyDer());
  for (const mt of messageTypesFor(alg)) {
    const hash = signingHash(alg);
    const len = digestLengthFor(alg, mt);
    const input = mt === "RAW" ? msg : mt === "DIGEST" && hash ? createHash(hash).update(msg).digest() : Buffer.alloc(len!, 9);
    const sig = key.sign(input, alg, mt);
    expect(key.verify(input, sig, alg, mt)).toBe(true);
    expect(pub.verify(input, sig, alg, mt)).toBe(true);
    const bad = Buffer.from(sig);
    bad[bad.length >> 1] ^= 0x10;
    expect(pub.verify(input, bad, alg, mt)).toBe(false);
    const other = Buffer.from(input);
    other[0] ^= 1;
    expect(pub.verify(other, sig, alg, mt)).toBe(false);
    const outside = outsideVerify(spec, key.publicKeyDer(), alg, input, mt, sig);
    if (outside !== undefined) expect(outside).toBe(true);
    // DIGEST signatures are ordinary signatures of the original message.
    if (mt === "DIGEST" && alg !== "ED25519_PH_SHA_512") {
      const pubKey = createPublicKey({ key: key.publicKeyDer(), format: "der", type: "spki" });
      const opts = alg.includes("PSS")
        ? { key: pubKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: len }
        : alg.startsWith("ECDSA") ? { key: pubKey, dsaEncoding: "der" as const } : { key: pubKey };
      expect(verify(hash!, msg, opts, sig)).toBe(true);
    }
    if (mt !== "RAW") expect(() => key.sign(input.subarray(1), alg, mt)).toThrow(CryptoError);
  }
  expect(() => key.sign(Buffer.alloc(4097), alg, "RAW")).toThrow(CryptoError);
}

describe("ECDSA DIGEST signatures verify with noble too", () => {
  it("P-256/384/521, secp256k1", () => {
    const curves = { ECC_NIST_P256: [p256, "ECDSA_SHA_256", 32], ECC_NIST_P384: [p384, "ECDSA_SHA_384", 48], ECC_NIST_P521: [p521, "ECDSA_SHA_512", 66], ECC_SECG_P256K1: [secp256k1, "ECDSA_SHA_256", 32] } as const;
    for (const [spec, [curve, alg, n]] of Object.entries(curves)) {
      const key = openKey(spec as "ECC_NIST_P256", material.get(spec as KeySpec)!);
      const digest = createHash(signingHash(alg)!).update(msg).digest();
      const sig = key.sign(digest, alg, "DIGEST");
      const jwk = createPublicKey({ key: key.publicKeyDer(), format: "der", type: "spki" }).export({ format: "jwk" });
      const pt = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]);
      expect(pt.length).toBe(1 + 2 * n);
      expect(curve.verify(sig, digest, pt, { prehash: false, format: "der", lowS: false })).toBe(true);
    }
  });
});

describe("Ed25519ph against RFC 8032 §7.3 test vector", () => {
  it("TEST abc", () => {
    const sk = Buffer.from("833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42", "hex");
    const sig = ed25519ph.sign(Buffer.from("616263", "hex"), sk);
    expect(Buffer.from(sig).toString("hex")).toBe(
      "98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406",
    );
  });
});

describe("key handles reject mismatched material and algorithms", () => {
  it("wrong spec for material", () => {
    expect(() => openKey("RSA_3072", material.get("RSA_2048")!)).toThrow(CryptoError);
    expect(() => openKey("ECC_NIST_P384", material.get("ECC_NIST_P256")!)).toThrow(CryptoError);
    expect(() => openKey("ECC_NIST_EDWARDS25519", material.get("ECC_NIST_P256")!)).toThrow(CryptoError);
    expect(() => openKey("SYMMETRIC_DEFAULT", Buffer.alloc(16))).toThrow(CryptoError);
    expect(() => openKey("HMAC_256", Buffer.alloc(16))).toThrow(CryptoError);
    expect(() => openKey("RSA_2048", Buffer.from("garbage"))).toThrow(CryptoError);
  });
  it("wrong algorithm for spec", () => {
    const ec = openKey("ECC_NIST_P256", material.get("ECC_NIST_P256")!);
    expect(() => ec.sign(msg, "ECDSA_SHA_384", "RAW")).toThrow(CryptoError);
    const k1 = openKey("ECC_SECG_P256K1", material.get("ECC_SECG_P256K1")!);
    expect(() => k1.deriveSharedSecret(k1.publicKeyDer())).toThrow(CryptoError);
    const ed = openKey("ECC_NIST_EDWARDS25519", material.get("ECC_NIST_EDWARDS25519")!);
    expect(() => ed.sign(Buffer.alloc(64), "ED25519_SHA_512", "DIGEST")).toThrow(CryptoError);
    expect(() => ed.sign(msg, "ED25519_PH_SHA_512", "RAW")).toThrow(CryptoError);
    const h = openKey("HMAC_256", material.get("HMAC_256")!);
    expect(() => h.generateMac(msg, "HMAC_SHA_512")).toThrow(CryptoError);
  });
  it("generated material sizes", () => {
    expect(material.get("SYMMETRIC_DEFAULT")!.length).toBe(32);
    expect(material.get("HMAC_224")!.length).toBe(28);
    expect(material.get("HMAC_512")!.length).toBe(64);
    expect(material.get("ML_DSA_87")!.length).toBe(32);
  });
});

describe("generateDataKeyPair", () => {
  for (const spec of DATA_KEY_PAIR_SPECS) {
    it(spec, () => {
      const { privateKeyDer, publicKeyDer } = generateDataKeyPair(spec);
      const key = openKey(spec, privateKeyDer) as { publicKeyDer(): Buffer };
      expect(key.publicKeyDer().equals(publicKeyDer)).toBe(true);
    });
  }
});
