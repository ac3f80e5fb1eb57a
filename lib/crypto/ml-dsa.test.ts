// ML-DSA: structural FIPS 204 checks of @noble/post-quantum key generation (seed expansion and
// tr = H(pk) recomputed with node:crypto's independent SHAKE256), sign/verify, EXTERNAL_MU, SPKI,
// tamper tests, and a published Wycheproof verification vector for each parameter set
// (signature and SPKI).
import { createHash, randomBytes } from "node:crypto";
import { shake256 } from "@noble/hashes/sha3.js";
import { describe, expect, it } from "vitest";
import { CryptoError } from "./errors";
import { MlDsaKey, MlDsaPublicKey, parseMlDsaSpki, type MlDsaSpec } from "./keys/ml-dsa";
import mldsa44 from "./__fixtures__/mldsa44-wycheproof.json" with { type: "json" };
import mldsa65 from "./__fixtures__/mldsa65-wycheproof.json" with { type: "json" };
import mldsa87 from "./__fixtures__/mldsa87-wycheproof.json" with { type: "json" };

const SPECS: MlDsaSpec[] = ["ML_DSA_44", "ML_DSA_65", "ML_DSA_87"];
const KL = { ML_DSA_44: [4, 4], ML_DSA_65: [6, 5], ML_DSA_87: [8, 7] } as const;
const nodeShake = (data: Uint8Array, len: number) => createHash("shake256", { outputLength: len }).update(data).digest();

describe("ML-DSA key generation (FIPS 204 Algorithm 6 structure)", () => {
  for (const spec of SPECS) {
    it(`${spec}: ρ = H(ξ||k||ℓ)[0:32] and the public key is bound by tr`, () => {
      const seed = randomBytes(32);
      const pk = parseMlDsaSpki(spec, new MlDsaKey(spec, seed).publicKeyDer());
      const expanded = nodeShake(Buffer.concat([seed, Buffer.from(KL[spec])]), 128);
      expect(Buffer.from(pk.subarray(0, 32)).equals(expanded.subarray(0, 32))).toBe(true);
      expect(Buffer.from(shake256(pk, { dkLen: 64 })).equals(nodeShake(pk, 64))).toBe(true);
    });
  }
});

describe("MlDsaKey", () => {
  for (const spec of SPECS) {
    it(`${spec}: deterministic keygen, RAW and EXTERNAL_MU sign/verify, tamper`, () => {
      const seed = randomBytes(32);
      const key = new MlDsaKey(spec, seed);
      expect(new MlDsaKey(spec, seed).publicKeyDer().equals(key.publicKeyDer())).toBe(true);
      const msg = Buffer.from("hello ml-dsa");
      const sig = key.sign(msg, "ML_DSA_SHAKE_256", "RAW");
      const pub = new MlDsaPublicKey(spec, key.publicKeyDer());
      expect(pub.verify(msg, sig, "ML_DSA_SHAKE_256", "RAW")).toBe(true);
      expect(pub.verify(Buffer.from("hello ml-dsb"), sig, "ML_DSA_SHAKE_256", "RAW")).toBe(false);
      const bad = Buffer.from(sig);
      bad[10] ^= 1;
      expect(pub.verify(msg, bad, "ML_DSA_SHAKE_256", "RAW")).toBe(false);
      expect(pub.verify(msg, sig.subarray(1), "ML_DSA_SHAKE_256", "RAW")).toBe(false);

      // EXTERNAL_MU: μ = SHAKE256(tr || 0x00 || 0x00 || M, 64), tr = SHAKE256(pk, 64) (FIPS 204 §6.2, empty context).
      const pk = parseMlDsaSpki(spec, key.publicKeyDer());
      const tr = shake256(pk, { dkLen: 64 });
      const mu = Buffer.from(shake256(Buffer.concat([tr, Buffer.from([0, 0]), msg]), { dkLen: 64 }));
      const sigMu = key.sign(mu, "ML_DSA_SHAKE_256", "EXTERNAL_MU");
      // A signature over μ is an ordinary ML-DSA signature over M, and vice versa.
      expect(pub.verify(msg, sigMu, "ML_DSA_SHAKE_256", "RAW")).toBe(true);
      expect(pub.verify(mu, sig, "ML_DSA_SHAKE_256", "EXTERNAL_MU")).toBe(true);
      expect(() => key.sign(mu.subarray(1), "ML_DSA_SHAKE_256", "EXTERNAL_MU")).toThrow(CryptoError);
      expect(() => key.sign(mu, "ML_DSA_SHAKE_256", "DIGEST")).toThrow(CryptoError);
      expect(() => key.sign(msg, "ECDSA_SHA_256", "RAW")).toThrow(CryptoError);
    });
  }

  it("SPKI uses the NIST OIDs with absent parameters", () => {
    const der = new MlDsaKey("ML_DSA_65", randomBytes(32)).publicKeyDer();
    // 30 82 07 b2 | 30 0b 06 09 60 86 48 01 65 03 04 03 12 | 03 82 07 a1 00 | pk(1952)
    expect(der.subarray(0, 22).toString("hex")).toBe("308207b2300b0609608648016503040312038207a100");
    expect(der.length).toBe(22 + 1952);
    expect(() => new MlDsaPublicKey("ML_DSA_44", der)).toThrow(CryptoError);
  });

  it("rejects material that is not a 32-byte seed", () => {
    expect(() => new MlDsaKey("ML_DSA_44", randomBytes(31))).toThrow(CryptoError);
  });
});

/** Wycheproof mldsa_{44,65,87}_verify_test.json, tcId 1 of each (copied verbatim; see each fixture's source). */
const PUBLISHED: Array<[MlDsaSpec, string, typeof mldsa44]> = [
  ["ML_DSA_44", "mldsa_44_verify_test.json", mldsa44],
  ["ML_DSA_65", "mldsa_65_verify_test.json", mldsa65],
  ["ML_DSA_87", "mldsa_87_verify_test.json", mldsa87],
];

describe.each(PUBLISHED)("%s against a published vector (Wycheproof %s, tcId 1)", (spec, _file, vector) => {
  const spki = Buffer.from(vector.publicKeyDerPrefix + vector.publicKey, "hex");
  const msg = Buffer.from(vector.msg, "hex");
  const sig = Buffer.from(vector.sig, "hex");

  it("parses the published SPKI and re-encodes it byte for byte", () => {
    expect(new MlDsaPublicKey(spec, spki).publicKeyDer().equals(spki)).toBe(true);
  });

  it("verifies the published valid signature and rejects it modified", () => {
    const key = new MlDsaPublicKey(spec, spki);
    expect(key.verify(msg, sig, "ML_DSA_SHAKE_256", "RAW")).toBe(true);
    const flipped = Buffer.from(sig);
    flipped[100]! ^= 1;
    expect(key.verify(msg, flipped, "ML_DSA_SHAKE_256", "RAW")).toBe(false);
    expect(key.verify(Buffer.from("Hello world!"), sig, "ML_DSA_SHAKE_256", "RAW")).toBe(false);
  });
});
