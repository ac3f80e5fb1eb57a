// No plaintext secret — key material, data keys, data-key-pair private keys, plaintexts, messages,
// shared secrets, random bytes, the root key — may reach the database or a log line. A full
// session of operations runs over every key type while every log line is captured (pino's
// stream, process.stdout and process.stderr); then every row of every table is searched for each
// secret: raw, and inside any hex or base64/base64url run at any alignment.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { config } from "@/lib/config";
import { prisma } from "@/lib/db/client";
import { logger } from "@/lib/log";
import { decrypt } from "@/lib/kms/operations/decrypt";
import { deriveSharedSecret } from "@/lib/kms/operations/derive-shared-secret";
import { disableKey, enableKey } from "@/lib/kms/operations/enable-disable-key";
import { encrypt } from "@/lib/kms/operations/encrypt";
import { generateDataKey, generateDataKeyWithoutPlaintext } from "@/lib/kms/operations/generate-data-key";
import { generateDataKeyPair, generateDataKeyPairWithoutPlaintext } from "@/lib/kms/operations/generate-data-key-pair";
import { generateRandom } from "@/lib/kms/operations/generate-random";
import { getPublicKey } from "@/lib/kms/operations/get-public-key";
import { generateMac, verifyMac } from "@/lib/kms/operations/mac";
import { reEncrypt } from "@/lib/kms/operations/re-encrypt";
import { sign, verify } from "@/lib/kms/operations/sign-verify";
import { materialOf, newKey, outcome, principals } from "./fixtures";

interface Secret {
  label: string;
  bytes: Buffer;
}

/** Everything a haystack may hide bytes in: the raw bytes, and every hex / base64 run decoded at each alignment. */
function decodedViews(raw: Buffer): Buffer[] {
  const views = [raw];
  const text = raw.toString("latin1");
  for (const m of text.matchAll(/[0-9a-fA-F]{32,}/g)) {
    for (const off of [0, 1]) views.push(Buffer.from(m[0].slice(off, m[0].length - ((m[0].length - off) % 2)), "hex"));
  }
  for (const m of text.matchAll(/[A-Za-z0-9+/_-]{20,}/g)) {
    const run = m[0].replace(/-/g, "+").replace(/_/g, "/");
    for (let off = 0; off < 4; off++) views.push(Buffer.from(run.slice(off), "base64")); // node decodes a trailing partial group
  }
  return views;
}

function findLeaks(secrets: Secret[], haystacks: Array<{ where: string; raw: Buffer }>): string[] {
  const found: string[] = [];
  for (const h of haystacks) {
    const views = decodedViews(h.raw);
    const lower = h.raw.toString("latin1").toLowerCase();
    for (const s of secrets) {
      if (views.some((v) => v.includes(s.bytes)) || lower.includes(s.bytes.toString("hex"))) found.push(`${s.label} in ${h.where}`);
    }
  }
  return found;
}

async function databaseHaystacks(): Promise<{ haystacks: Array<{ where: string; raw: Buffer }>; rows: Record<string, number> }> {
  const tables = await prisma.$queryRawUnsafe<Array<{ table_name: string }>>(
    `SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const haystacks: Array<{ where: string; raw: Buffer }> = [];
  const rows: Record<string, number> = {};
  for (const { table_name: table } of tables) {
    const quoted = `"${table.replace(/"/g, '""')}"`;
    const json = await prisma.$queryRawUnsafe<Array<{ j: string }>>(`SELECT row_to_json(t)::text AS j FROM ${quoted} t`);
    rows[table] = json.length;
    json.forEach((r, i) => haystacks.push({ where: `${table} row ${i} (text)`, raw: Buffer.from(r.j, "utf8") }));
    const byteaColumns = await prisma.$queryRawUnsafe<Array<{ column_name: string }>>(
      `SELECT column_name::text AS column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND data_type = 'bytea'`,
      table,
    );
    for (const { column_name: column } of byteaColumns) {
      const values = await prisma.$queryRawUnsafe<Array<{ b: Uint8Array | null }>>(`SELECT "${column.replace(/"/g, '""')}" AS b FROM ${quoted}`);
      values.forEach((v, i) => v.b && haystacks.push({ where: `${table}.${column} row ${i} (bytes)`, raw: Buffer.from(v.b) }));
    }
  }
  return { haystacks, rows };
}

/** Captures everything written to pino's stream, stdout and stderr until `stop()`. */
function captureOutput(): { chunks: Buffer[]; stop: () => void } {
  const chunks: Buffer[] = [];
  const toBuffer = (c: unknown) => (typeof c === "string" ? Buffer.from(c, "utf8") : Buffer.from(c as Uint8Array));
  const restore: Array<() => void> = [];
  const patch = (target: { write: (...args: never[]) => unknown }) => {
    const original = target.write;
    target.write = function (this: unknown, ...args: unknown[]) {
      chunks.push(toBuffer(args[0]));
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof target.write;
    restore.push(() => {
      target.write = original;
    });
  };
  const stream = (logger as unknown as Record<symbol, { write: (...args: never[]) => unknown }>)[pino.symbols.streamSym];
  if (stream && stream !== (process.stdout as unknown)) patch(stream);
  patch(process.stdout as unknown as { write: (...args: never[]) => unknown });
  patch(process.stderr as unknown as { write: (...args: never[]) => unknown });
  const level = logger.level;
  logger.level = "trace";
  restore.push(() => {
    logger.level = level;
  });
  return { chunks, stop: () => restore.reverse().forEach((r) => r()) };
}

describe("leak scan", () => {
  it("the scanner finds a secret raw, as hex, or inside base64 at any alignment", () => {
    const s = randomBytes(24);
    const secrets = [{ label: "s", bytes: s }];
    for (const prefix of [0, 1, 2, 3]) {
      const wrapped = Buffer.concat([randomBytes(prefix), s, randomBytes(5)]);
      expect(findLeaks(secrets, [{ where: "b64", raw: Buffer.from(JSON.stringify({ v: wrapped.toString("base64") })) }])).toHaveLength(1);
      expect(findLeaks(secrets, [{ where: "b64url", raw: Buffer.from(wrapped.toString("base64url")) }])).toHaveLength(1);
      expect(findLeaks(secrets, [{ where: "hex", raw: Buffer.from(`\\x${wrapped.toString("hex").toUpperCase()}`) }])).toHaveLength(1);
      expect(findLeaks(secrets, [{ where: "raw", raw: wrapped }])).toHaveLength(1);
      // The secret at the very end of a base64 value (its last group partial or padded).
      expect(findLeaks(secrets, [{ where: "b64 tail", raw: Buffer.from(`"x${Buffer.concat([randomBytes(prefix), s]).toString("base64")}"`) }])).toHaveLength(1);
    }
    expect(findLeaks(secrets, [{ where: "other", raw: randomBytes(200) }])).toEqual([]);
  });

  it("a full session over every key type leaves no plaintext secret in any table or log line", async () => {
    const p = await principals();
    const secrets: Secret[] = [];
    const keep = (label: string, bytes: Buffer) => secrets.push({ label, bytes: Buffer.from(bytes) });
    const errors: string[] = [];
    const sentinel = `leak-scan-sentinel-${randomBytes(8).toString("hex")}`;
    const capture = captureOutput();
    try {
      logger.info({ sentinel }, "leak scan capture check");
      const specs: Array<[string, string]> = [
        ["SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"],
        ["RSA_2048", "ENCRYPT_DECRYPT"],
        ["RSA_2048", "SIGN_VERIFY"],
        ["ECC_NIST_P256", "SIGN_VERIFY"],
        ["ECC_SECG_P256K1", "SIGN_VERIFY"],
        ["ECC_NIST_P384", "KEY_AGREEMENT"],
        ["ECC_NIST_EDWARDS25519", "SIGN_VERIFY"],
        ["HMAC_256", "GENERATE_VERIFY_MAC"],
        ["HMAC_512", "GENERATE_VERIFY_MAC"],
        ["ML_DSA_44", "SIGN_VERIFY"],
      ];
      const k: Record<string, Awaited<ReturnType<typeof newKey>>> = {};
      for (const [spec, usage] of specs) {
        const key = await newKey(p.admin, spec, usage, { Description: `leak scan ${spec}`, Tags: [{ TagKey: "scan", TagValue: "leak" }] });
        k[`${spec}/${usage}`] = key;
        keep(`material of ${spec}/${usage}`, await materialOf(key));
      }
      const sym = k["SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT"]!;
      const sym2 = await newKey(p.admin, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");
      keep("material of second symmetric key", await materialOf(sym2));
      const rsaEnc = k["RSA_2048/ENCRYPT_DECRYPT"]!;

      // Symmetric and RSA encryption, ReEncrypt.
      const pt = randomBytes(48);
      keep("symmetric plaintext", pt);
      const ct = (await encrypt(p.user, { KeyId: sym.id, Plaintext: pt, EncryptionContext: { app: "leak" } })).CiphertextBlob;
      await decrypt(p.user, { CiphertextBlob: ct, EncryptionContext: { app: "leak" } });
      errors.push(await outcome(decrypt(p.user, { CiphertextBlob: ct, EncryptionContext: { app: "wrong" } })));
      const re = await reEncrypt(p.user, { CiphertextBlob: ct, SourceEncryptionContext: { app: "leak" }, DestinationKeyId: sym2.id });
      const toRsa = await reEncrypt(p.user, { CiphertextBlob: re.CiphertextBlob, DestinationKeyId: rsaEnc.id, DestinationEncryptionAlgorithm: "RSAES_OAEP_SHA_1" });
      await decrypt(p.user, { CiphertextBlob: toRsa.CiphertextBlob, KeyId: rsaEnc.id, EncryptionAlgorithm: "RSAES_OAEP_SHA_1" });
      const rsaPt = randomBytes(100);
      keep("RSA plaintext", rsaPt);
      const rsaCt = (await encrypt(p.user, { KeyId: rsaEnc.id, Plaintext: rsaPt, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" })).CiphertextBlob;
      await decrypt(p.user, { CiphertextBlob: rsaCt, KeyId: rsaEnc.id, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" });
      errors.push(await outcome(decrypt(p.user, { CiphertextBlob: rsaCt, KeyId: rsaEnc.id, EncryptionAlgorithm: "RSAES_OAEP_SHA_1" })));

      // Data keys and data key pairs.
      keep("data key", (await generateDataKey(p.user, { KeyId: sym.id, KeySpec: "AES_256" })).Plaintext);
      const wo = await generateDataKeyWithoutPlaintext(p.user, { KeyId: sym.id, NumberOfBytes: 64 });
      keep("data key (without plaintext, decrypted)", (await decrypt(p.user, { CiphertextBlob: wo.CiphertextBlob })).Plaintext);
      for (const spec of ["RSA_2048", "ECC_NIST_P256", "ECC_SECG_P256K1", "ECC_NIST_EDWARDS25519"]) {
        const pair = await generateDataKeyPair(p.user, { KeyId: sym.id, KeyPairSpec: spec, EncryptionContext: { pair: spec } });
        keep(`data key pair private key ${spec}`, pair.PrivateKeyPlaintext);
        const pw = await generateDataKeyPairWithoutPlaintext(p.user, { KeyId: sym.id, KeyPairSpec: spec });
        keep(`data key pair private key ${spec} (without plaintext, decrypted)`, (await decrypt(p.user, { CiphertextBlob: pw.PrivateKeyCiphertextBlob })).Plaintext);
      }

      // Signing, MACs, key agreement, random.
      for (const [id, alg, type] of [
        ["RSA_2048/SIGN_VERIFY", "RSASSA_PSS_SHA_256", "RAW"],
        ["RSA_2048/SIGN_VERIFY", "RSASSA_PKCS1_V1_5_SHA_256", "DIGEST"],
        ["ECC_NIST_P256/SIGN_VERIFY", "ECDSA_SHA_256", "DIGEST"],
        ["ECC_SECG_P256K1/SIGN_VERIFY", "ECDSA_SHA_256", "RAW"],
        ["ECC_NIST_EDWARDS25519/SIGN_VERIFY", "ED25519_SHA_512", "RAW"],
        ["ECC_NIST_EDWARDS25519/SIGN_VERIFY", "ED25519_PH_SHA_512", "DIGEST"],
        ["ML_DSA_44/SIGN_VERIFY", "ML_DSA_SHAKE_256", "RAW"],
      ] as const) {
        const message = randomBytes(48);
        keep(`message signed by ${id}`, message);
        const m = type === "DIGEST" ? createHash(alg.endsWith("256") ? "sha256" : "sha512").update(message).digest() : message;
        if (type === "DIGEST") keep(`digest signed by ${id}`, m);
        const { Signature } = await sign(p.user, { KeyId: k[id]!.id, Message: m, MessageType: type, SigningAlgorithm: alg });
        await verify(p.user, { KeyId: k[id]!.id, Message: m, MessageType: type, Signature, SigningAlgorithm: alg });
        errors.push(await outcome(verify(p.user, { KeyId: k[id]!.id, Message: m, MessageType: type, Signature: randomBytes(Signature.length), SigningAlgorithm: alg })));
        errors.push(await outcome(sign(p.user, { KeyId: k[id]!.id, Message: m, MessageType: "EXTERNAL_MU", SigningAlgorithm: "ECDSA_SHA_384" })));
        await getPublicKey(p.user, { KeyId: k[id]!.id });
      }
      for (const [id, alg] of [
        ["HMAC_256/GENERATE_VERIFY_MAC", "HMAC_SHA_256"],
        ["HMAC_512/GENERATE_VERIFY_MAC", "HMAC_SHA_512"],
      ] as const) {
        const message = randomBytes(48);
        keep(`message MACed by ${id}`, message);
        const { Mac } = await generateMac(p.user, { KeyId: k[id]!.id, Message: message, MacAlgorithm: alg });
        await verifyMac(p.user, { KeyId: k[id]!.id, Message: message, Mac, MacAlgorithm: alg });
        errors.push(await outcome(verifyMac(p.user, { KeyId: k[id]!.id, Message: message, Mac: randomBytes(Mac.length), MacAlgorithm: alg })));
      }
      const ecdh = k["ECC_NIST_P384/KEY_AGREEMENT"]!;
      const peer = generateKeyPairSync("ec", { namedCurve: "secp384r1" });
      keep("ECDH peer private key", peer.privateKey.export({ format: "der", type: "pkcs8" }));
      const shared = await deriveSharedSecret(p.user, { KeyId: ecdh.id, KeyAgreementAlgorithm: "ECDH", PublicKey: peer.publicKey.export({ format: "der", type: "spki" }) });
      keep("ECDH shared secret", shared.SharedSecret);
      errors.push(await outcome(deriveSharedSecret(p.user, { KeyId: ecdh.id, KeyAgreementAlgorithm: "ECDH", PublicKey: randomBytes(120) })));
      keep("random bytes", (await generateRandom(p.user, { NumberOfBytes: 64 })).Plaintext);

      // Validation failures carrying secrets in the wrong shape (strings instead of bytes) must not echo them.
      const asString = randomBytes(48).toString("base64");
      keep("secret sent as a string", Buffer.from(asString, "base64"));
      for (const call of [
        () => encrypt(p.user, { KeyId: sym.id, Plaintext: asString }),
        () => sign(p.user, { KeyId: k["ECC_NIST_P256/SIGN_VERIFY"]!.id, Message: asString, SigningAlgorithm: "ECDSA_SHA_256" }),
        () => generateMac(p.user, { KeyId: k["HMAC_256/GENERATE_VERIFY_MAC"]!.id, Message: asString, MacAlgorithm: "HMAC_SHA_256" }),
      ]) {
        try {
          await call();
        } catch (e) {
          errors.push(`${(e as Error).name}: ${(e as Error).message} ${JSON.stringify(e)}`);
        }
      }

      // Disabling forgets cached material; enabling and using again unwraps it afresh.
      await disableKey(p.admin, { KeyId: sym.id });
      errors.push(await outcome(decrypt(p.user, { CiphertextBlob: ct, EncryptionContext: { app: "leak" } })));
      await enableKey(p.admin, { KeyId: sym.id });
      await decrypt(p.user, { CiphertextBlob: ct, EncryptionContext: { app: "leak" } });
    } finally {
      capture.stop();
    }

    const cfg = config();
    const rootKeyFile = join(cfg.dataDir, "root-key");
    if (cfg.rootKeyBase64) keep("root key", Buffer.from(cfg.rootKeyBase64, "base64"));
    else if (existsSync(rootKeyFile)) keep("root key", readFileSync(rootKeyFile));

    // The captures are live: the sentinel line was seen, and the session did produce the expected failures.
    expect(Buffer.concat(capture.chunks).toString("utf8")).toContain(sentinel);
    expect(errors.filter((e) => e === "InvalidCiphertextException").length).toBeGreaterThanOrEqual(2);
    expect(errors).toContain("KMSInvalidSignatureException");
    expect(errors).toContain("KMSInvalidMacException");
    expect(errors).toContain("DisabledException");
    expect(secrets.length).toBeGreaterThan(30);
    expect(secrets.every((s) => s.bytes.length >= 16 && s.bytes.some((b) => b !== 0))).toBe(true);

    const { haystacks, rows } = await databaseHaystacks();
    // The scan saw the key service's tables, including the wrapped material of every key.
    expect(rows.KmsKey).toBeGreaterThanOrEqual(11);
    expect(rows.KeyMaterial).toBeGreaterThanOrEqual(11);
    const logs = [
      ...capture.chunks.map((raw, i) => ({ where: `log chunk ${i}`, raw })),
      ...errors.map((e, i) => ({ where: `error ${i}`, raw: Buffer.from(e, "utf8") })),
    ];
    expect(findLeaks(secrets, [...haystacks, ...logs])).toEqual([]);
  });
});
