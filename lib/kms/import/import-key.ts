// The installation's import key: a random 256-bit HMAC key, generated once and
// stored only wrapped by the root key (Setting "import_mac_key"). It MACs
// import tokens and fingerprints imported material. A key of our own rather
// than the root key itself because a key store only wraps and unwraps (an HSM
// root key is never exported to compute an HMAC).
import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from "node:crypto";
import { prisma } from "@/lib/db/client";
import { rootKeyStore } from "@/lib/crypto/keystore/process";

const SETTING = "import_mac_key";
const AAD = Buffer.from("keyhold/import-mac-key/v1", "utf8");

const g = globalThis as unknown as { keyholdImportKey?: Promise<KeyObject> };

async function load(): Promise<KeyObject> {
  const store = await rootKeyStore();
  let row = await prisma.setting.findUnique({ where: { key: SETTING } });
  if (!row) {
    const fresh = randomBytes(32);
    try {
      const wrapped = await store.wrap(fresh, AAD);
      // Instances starting at once: the first insert wins and every one reads it back.
      await prisma.setting.createMany({ data: [{ key: SETTING, value: wrapped.toString("base64") }], skipDuplicates: true });
    } finally {
      fresh.fill(0);
    }
    row = await prisma.setting.findUniqueOrThrow({ where: { key: SETTING } });
  }
  const plain = await store.unwrap(Buffer.from(row.value, "base64"), AAD);
  try {
    return createSecretKey(plain);
  } finally {
    plain.fill(0);
  }
}

function importKey(): Promise<KeyObject> {
  return (g.keyholdImportKey ??= load().catch((e) => {
    g.keyholdImportKey = undefined;
    throw e;
  }));
}

/** HMAC-SHA256 under the import key, domain-separated by `purpose`. */
export async function importMac(purpose: string, ...parts: Uint8Array[]): Promise<Buffer> {
  const h = createHmac("sha256", await importKey());
  h.update(Buffer.from(`keyhold/${purpose}/v1\n`, "utf8"));
  for (const p of parts) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(p.length, 0);
    h.update(len).update(p);
  }
  return h.digest();
}

export const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ""), "hex");

export function macEquals(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
