// Which playground operations a key can do, from what DescribeKey says about it
// (KeyUsage, KeySpec and its algorithm lists). Pure: operations.test.ts.
import { digestLengthFor, messageTypesFor, type MessageType, type SigningAlgorithm } from "@/lib/crypto/specs";

/** The parts of DescribeKey's KeyMetadata the playground reads. */
export interface KeyFacts {
  KeyId: string;
  Arn: string;
  KeySpec: string;
  KeyUsage: string;
  KeyState: string;
  EncryptionAlgorithms?: string[];
  SigningAlgorithms?: string[];
  MacAlgorithms?: string[];
  KeyAgreementAlgorithms?: string[];
}

export type OperationFamily = "envelope" | "encrypt" | "re-encrypt" | "data-key-pair" | "sign" | "mac" | "derive" | "random";

export const FAMILY_LABELS: Record<OperationFamily, string> = {
  envelope: "Envelope encryption",
  encrypt: "Encrypt / decrypt",
  "re-encrypt": "ReEncrypt",
  "data-key-pair": "Data key pair",
  sign: "Sign / verify",
  mac: "MAC",
  derive: "ECDH derive",
  random: "Random bytes",
};

/**
 * Operation families offered for a key, in display order. GenerateRandom needs
 * no key, so it is always there; the rest only where the key's usage and
 * algorithms allow them (a disabled key offers nothing but random).
 */
export function offeredOperations(key: KeyFacts | undefined): OperationFamily[] {
  if (!key || key.KeyState !== "Enabled") return ["random"];
  const out: OperationFamily[] = [];
  const enc = key.EncryptionAlgorithms ?? [];
  if (key.KeyUsage === "ENCRYPT_DECRYPT" && enc.length) {
    // Data keys and data key pairs are wrapped by symmetric keys only.
    if (enc.includes("SYMMETRIC_DEFAULT")) out.push("envelope", "encrypt", "data-key-pair", "re-encrypt");
    else out.push("encrypt", "re-encrypt");
  }
  if (key.KeyUsage === "SIGN_VERIFY" && key.SigningAlgorithms?.length) out.push("sign");
  if (key.KeyUsage === "GENERATE_VERIFY_MAC" && key.MacAlgorithms?.length) out.push("mac");
  if (key.KeyUsage === "KEY_AGREEMENT" && key.KeyAgreementAlgorithms?.includes("ECDH")) out.push("derive");
  out.push("random");
  return out;
}

/** What Sign/Verify accept for an algorithm: message types, and the digest length a pre-hashed message must have. */
export function messageChoices(algorithm: string): Array<{ type: MessageType; digestBytes?: number }> {
  const a = algorithm as SigningAlgorithm;
  return messageTypesFor(a).map((type) => {
    const digestBytes = digestLengthFor(a, type);
    return digestBytes ? { type, digestBytes } : { type };
  });
}

/** The Web Crypto digest the browser computes for a DIGEST message, or undefined where it cannot (EXTERNAL_MU). */
export function browserDigest(algorithm: string, type: MessageType): "SHA-256" | "SHA-384" | "SHA-512" | undefined {
  if (type !== "DIGEST") return undefined;
  const bits = /SHA_(256|384|512)$/.exec(algorithm)?.[1];
  return bits ? (`SHA-${bits}` as "SHA-256" | "SHA-384" | "SHA-512") : undefined;
}

/** The Web Crypto curve of an ECDH key spec (NIST curves only: AWS's KEY_AGREEMENT specs). */
export function ecdhCurve(keySpec: string): "P-256" | "P-384" | "P-521" | undefined {
  return ({ ECC_NIST_P256: "P-256", ECC_NIST_P384: "P-384", ECC_NIST_P521: "P-521" } as const)[keySpec as "ECC_NIST_P256"];
}

/** Encryption algorithms for Encrypt with this key: SYMMETRIC_DEFAULT, or RSAES_OAEP_* for RSA keys. */
export const encryptionAlgorithms = (key: KeyFacts) => (key.KeyUsage === "ENCRYPT_DECRYPT" ? (key.EncryptionAlgorithms ?? []) : []);
