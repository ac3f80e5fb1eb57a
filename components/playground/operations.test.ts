import { describe, expect, it } from "vitest";
import { algorithmsFor, type KeySpec, type KeyUsage } from "@/lib/crypto/specs";
import { browserDigest, ecdhCurve, messageChoices, offeredOperations, type KeyFacts } from "./operations";

/** KeyMetadata as DescribeKey reports it for a spec and usage. */
function facts(spec: KeySpec, usage: KeyUsage, state = "Enabled"): KeyFacts {
  const algorithms = [...algorithmsFor(spec, usage)];
  const field = { ENCRYPT_DECRYPT: "EncryptionAlgorithms", SIGN_VERIFY: "SigningAlgorithms", GENERATE_VERIFY_MAC: "MacAlgorithms", KEY_AGREEMENT: "KeyAgreementAlgorithms" }[usage];
  return { KeyId: "k", Arn: "arn", KeySpec: spec, KeyUsage: usage, KeyState: state, [field]: algorithms };
}

describe("operations offered by key", () => {
  it("symmetric encryption keys: envelope, encrypt, data key pairs, ReEncrypt, random", () => {
    expect(offeredOperations(facts("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"))).toEqual(["envelope", "encrypt", "data-key-pair", "re-encrypt", "random"]);
  });
  it("RSA encryption keys: no data keys (AWS wraps them with symmetric keys only)", () => {
    expect(offeredOperations(facts("RSA_2048", "ENCRYPT_DECRYPT"))).toEqual(["encrypt", "re-encrypt", "random"]);
  });
  it("signing, MAC and key agreement keys offer only their own operation", () => {
    expect(offeredOperations(facts("RSA_3072", "SIGN_VERIFY"))).toEqual(["sign", "random"]);
    expect(offeredOperations(facts("ECC_NIST_P256", "SIGN_VERIFY"))).toEqual(["sign", "random"]);
    expect(offeredOperations(facts("ML_DSA_44", "SIGN_VERIFY"))).toEqual(["sign", "random"]);
    expect(offeredOperations(facts("HMAC_256", "GENERATE_VERIFY_MAC"))).toEqual(["mac", "random"]);
    expect(offeredOperations(facts("ECC_NIST_P384", "KEY_AGREEMENT"))).toEqual(["derive", "random"]);
  });
  it("no key, or a key not enabled: random bytes only", () => {
    expect(offeredOperations(undefined)).toEqual(["random"]);
    expect(offeredOperations(facts("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "Disabled"))).toEqual(["random"]);
  });
  it("message types and digest lengths follow the signing algorithm", () => {
    expect(messageChoices("ECDSA_SHA_384")).toEqual([{ type: "RAW" }, { type: "DIGEST", digestBytes: 48 }]);
    expect(messageChoices("ED25519_SHA_512")).toEqual([{ type: "RAW" }]);
    expect(messageChoices("ED25519_PH_SHA_512")).toEqual([{ type: "DIGEST", digestBytes: 64 }]);
    expect(messageChoices("ML_DSA_SHAKE_256")).toEqual([{ type: "RAW" }, { type: "EXTERNAL_MU", digestBytes: 64 }]);
  });
  it("the browser hashes DIGEST messages with the algorithm's hash; never RAW or EXTERNAL_MU", () => {
    expect(browserDigest("RSASSA_PSS_SHA_256", "DIGEST")).toBe("SHA-256");
    expect(browserDigest("ED25519_PH_SHA_512", "DIGEST")).toBe("SHA-512");
    expect(browserDigest("ECDSA_SHA_256", "RAW")).toBeUndefined();
    expect(browserDigest("ML_DSA_SHAKE_256", "EXTERNAL_MU")).toBeUndefined();
  });
  it("ECDH curves are the NIST ones", () => {
    expect(ecdhCurve("ECC_NIST_P521")).toBe("P-521");
    expect(ecdhCurve("ECC_SECG_P256K1")).toBeUndefined();
  });
});
