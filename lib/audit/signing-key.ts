// The audit-signing key (ECC P-256): generated once, stored only wrapped by
// the root key like any KMS key's material; its public key is published so
// auditors can check digests outside Keyhold.
import { randomUUID } from "node:crypto";
import { EcKey, generateKeyMaterial } from "@/lib/crypto";
import { directPrisma } from "@/lib/db/client";
import { outsideTransaction } from "@/lib/db/transaction";
import { rootKeyStore } from "@/lib/crypto/keystore/process";

export const signingKeyAad = (id: string) => Buffer.from(`keyhold:audit-signing-key:${id}`);
const aad = signingKeyAad;

export interface SigningKeyRow {
  id: string;
  wrapped: Uint8Array<ArrayBuffer>;
  publicKeyDer: Uint8Array<ArrayBuffer>;
}

export interface Signer {
  id: string;
  publicKeyDer: Buffer;
  sign(payload: Buffer): Promise<string>;
}

// On globalThis: the Next.js bundle and server.ts each have a copy of this module, and a seal-now
// from the console must drop the signer the (process-wide) audit writer uses.
const g = globalThis as unknown as { keyholdAuditSigner?: Promise<Signer> };

/** A new audit-signing key: its row, the private key wrapped by the root key. */
export async function newSigningKeyRow(): Promise<SigningKeyRow> {
  const id = randomUUID();
  const material = generateKeyMaterial("ECC_NIST_P256");
  try {
    const key = new EcKey("ECC_NIST_P256", material);
    const store = await rootKeyStore();
    const wrapped = await store.wrap(material, aad(id));
    return { id, wrapped: new Uint8Array(wrapped), publicKeyDer: new Uint8Array(key.publicKeyDer()) };
  } finally {
    material.fill(0);
  }
}

async function load(): Promise<Signer> {
  let row = await directPrisma().auditSigningKey.findFirst({ orderBy: { createdAt: "asc" } });
  if (!row) {
    await directPrisma().auditSigningKey.createMany({ data: [await newSigningKeyRow()], skipDuplicates: true });
    row = await directPrisma().auditSigningKey.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
  }
  return signerOf(row);
}

/** The signer of a stored key row (unwrapped on first use, then kept as a key object). */
export function signerOf({ id, wrapped, publicKeyDer }: SigningKeyRow): Signer {
  // Unwrapped once and kept as a key object: the writer signs every chain
  // head it commits, so this is on the hot path.
  let key: Promise<EcKey> | undefined;
  const signingKey = () =>
    (key ??= (async () => {
      const store = await rootKeyStore();
      const material = await store.unwrap(Buffer.from(wrapped), aad(id));
      try {
        return new EcKey("ECC_NIST_P256", material);
      } finally {
        material.fill(0);
      }
    })().catch((e) => {
      key = undefined;
      throw e;
    }));
  return {
    id,
    publicKeyDer: Buffer.from(publicKeyDer),
    async sign(payload) {
      return (await signingKey()).sign(payload, "ECDSA_SHA_256", "RAW").toString("base64");
    },
  };
}

/** Drops the unwrapped signing key (seal now): the next signature unwraps it again under the root key. */
export function forgetAuditSigningKey(): void {
  g.keyholdAuditSigner = undefined;
}

export function auditSigner(): Promise<Signer> {
  return (g.keyholdAuditSigner ??= outsideTransaction(load).catch((e) => {
    g.keyholdAuditSigner = undefined;
    throw e;
  }));
}

/** PEM of the audit-signing public keys, for auditors (and `openssl dgst -verify`). */
export async function auditPublicKeys(): Promise<Array<{ id: string; pem: string }>> {
  await auditSigner();
  const rows = await directPrisma().auditSigningKey.findMany({ orderBy: { createdAt: "asc" } });
  return rows.map((r) => ({
    id: r.id,
    pem: `-----BEGIN PUBLIC KEY-----\n${Buffer.from(r.publicKeyDer).toString("base64").match(/.{1,64}/g)!.join("\n")}\n-----END PUBLIC KEY-----\n`,
  }));
}
