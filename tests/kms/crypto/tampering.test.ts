// Ciphertext tampering through Decrypt (and ReEncrypt): every malformed, altered or misdirected
// blob fails with the exact AWS exception, never KMSInternalException or a crash.
// Symmetric blob layout (lib/crypto/symmetric-ciphertext.ts):
//   magic (1) | format (1) | key ID (16) | material version (4) | IV (12) | ciphertext (n) | tag (16)
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { decrypt } from "@/lib/kms/operations/decrypt";
import { encrypt } from "@/lib/kms/operations/encrypt";
import { generateDataKey } from "@/lib/kms/operations/generate-data-key";
import { reEncrypt } from "@/lib/kms/operations/re-encrypt";
import { disable, newKey, outcome, principals, rejection, type CreatedKey, type Principals } from "./fixtures";

let p: Principals;
let a: CreatedKey;
let b: CreatedKey;
let rsa: CreatedKey;
const PLAINTEXT = randomBytes(40);
const CONTEXT = { tenant: "acme", purpose: "tamper-test", "ünïcödé": "välue" };
let blob: Buffer;

beforeAll(async () => {
  p = await principals();
  [a, b, rsa] = await Promise.all([
    newKey(p.admin, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"),
    newKey(p.admin, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"),
    newKey(p.admin, "RSA_3072", "ENCRYPT_DECRYPT"),
  ]);
  blob = (await encrypt(p.user, { KeyId: a.id, Plaintext: PLAINTEXT, EncryptionContext: CONTEXT })).CiphertextBlob;
});

const REGIONS = (len: number) =>
  [
    ["magic", 0, 1],
    ["format", 1, 2],
    ["key ID", 2, 18],
    ["material version", 18, 22],
    ["IV", 22, 34],
    ["ciphertext", 34, len - 16],
    ["tag", len - 16, len],
  ] as const;

const dec = (CiphertextBlob: Uint8Array, extra: Record<string, unknown> = {}) =>
  outcome(decrypt(p.user, { CiphertextBlob, EncryptionContext: CONTEXT, ...extra }));

describe("symmetric ciphertext through Decrypt", () => {
  it("the untouched blob decrypts (with and without KeyId, context in any order)", async () => {
    const reordered = Object.fromEntries(Object.entries(CONTEXT).reverse());
    for (const extra of [{}, { KeyId: a.id }, { KeyId: a.arn }, { EncryptionContext: reordered }]) {
      const res = await decrypt(p.user, { CiphertextBlob: blob, EncryptionContext: CONTEXT, ...extra });
      expect(res.Plaintext.equals(PLAINTEXT)).toBe(true);
      expect(res.KeyId).toBe(a.arn);
    }
  });

  it("a bit flipped in any byte of any region is rejected", async () => {
    expect(blob.length).toBe(22 + 12 + PLAINTEXT.length + 16);
    const results: Record<string, Set<string>> = {};
    for (const [region, start, end] of REGIONS(blob.length)) {
      const seen = (results[region] = new Set());
      for (let i = start; i < end; i++) {
        for (const bit of [0x01, 0x80, 1 << i % 8]) {
          if (i === 18 && bit === 0x80) continue; // version ≥ 2^31: the known bug tested below
          const t = Buffer.from(blob);
          t[i] ^= bit;
          seen.add(`no KeyId: ${await dec(t)}`);
          seen.add(`KeyId: ${await dec(t, { KeyId: a.id })}`);
        }
      }
    }
    const invalid = ["KeyId: InvalidCiphertextException", "no KeyId: InvalidCiphertextException"];
    expect(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, [...v].sort()]))).toEqual({
      magic: invalid,
      format: invalid,
      // A changed key ID names another key: with no KeyId it is a key that does not exist (as for a
      // deleted key); with the real KeyId it is not the key the request names.
      "key ID": ["KeyId: IncorrectKeyException", "no KeyId: NotFoundException"],
      "material version": invalid,
      IV: invalid,
      ciphertext: invalid,
      tag: invalid,
    });
  });

  it("every truncation is InvalidCiphertextException; the empty blob is a ValidationException (min length 1)", async () => {
    const seen = new Set<string>();
    for (let len = 1; len < blob.length; len++) seen.add(await dec(blob.subarray(0, len)));
    for (let cut = 1; cut < blob.length; cut++) seen.add(await dec(blob.subarray(cut))); // leading bytes removed
    expect([...seen]).toEqual(["InvalidCiphertextException"]);
    expect(await dec(new Uint8Array(0))).toBe("ValidationException");
  });

  it("padding, splicing and oversized blobs are rejected", async () => {
    for (const extra of [Buffer.alloc(1), randomBytes(16), randomBytes(500)]) {
      expect(await dec(Buffer.concat([blob, extra]))).toBe("InvalidCiphertextException");
    }
    // Body of another ciphertext of the same key (same header, other IV/ct/tag) …
    const other = (await encrypt(p.user, { KeyId: a.id, Plaintext: randomBytes(40), EncryptionContext: CONTEXT })).CiphertextBlob;
    expect(await dec(Buffer.concat([blob.subarray(0, 34), other.subarray(34)]))).toBe("InvalidCiphertextException");
    expect(await dec(Buffer.concat([other.subarray(0, 34), blob.subarray(34, blob.length - 16), other.subarray(other.length - 16)]))).toBe(
      "InvalidCiphertextException",
    );
    // … the tag and IV swapped, the body reversed.
    expect(await dec(Buffer.concat([blob.subarray(0, 22), blob.subarray(blob.length - 16), blob.subarray(34, blob.length - 16), blob.subarray(22, 34)]))).toBe(
      "InvalidCiphertextException",
    );
    expect(await dec(Buffer.from(blob).reverse())).toBe("InvalidCiphertextException");
    expect(await dec(Buffer.concat([blob, randomBytes(6144 - blob.length)]))).toBe("InvalidCiphertextException");
    expect(await dec(randomBytes(6145))).toBe("ValidationException");
  });

  it("random blobs of every size class are InvalidCiphertextException", async () => {
    const seen = new Set<string>();
    for (const len of [1, 2, 16, 21, 22, 49, 50, 51, 64, 128, 256, 384, 512, 1024, 6144]) {
      for (let i = 0; i < 3; i++) seen.add(await dec(randomBytes(len)));
    }
    // Random bodies behind a well-formed header naming the real key and version.
    for (const len of [0, 27, 28, 100]) seen.add(await dec(Buffer.concat([blob.subarray(0, 22), randomBytes(len)])));
    // All-zero and all-ones blobs.
    seen.add(await dec(Buffer.alloc(80)));
    seen.add(await dec(Buffer.alloc(80, 0xff)));
    expect([...seen]).toEqual(["InvalidCiphertextException"]);
  });

  it("a header naming a material version that does not exist (0, 2, 2^31-1) is InvalidCiphertextException", async () => {
    for (const v of [0, 2, 0x7fffffff]) {
      const t = Buffer.from(blob);
      t.writeUInt32BE(v, 18);
      expect(await dec(t)).toBe("InvalidCiphertextException");
      expect(await dec(t, { KeyId: a.id })).toBe("InvalidCiphertextException");
    }
  });

  it("a material version ≥ 2^31 is InvalidCiphertextException", async () => {
    for (const v of [0x80000000, 0x80000001, 0xffffffff]) {
      const t = Buffer.from(blob);
      t.writeUInt32BE(v, 18);
      expect(await dec(t)).toBe("InvalidCiphertextException");
      expect(await dec(t, { KeyId: a.id })).toBe("InvalidCiphertextException");
    }
  });

  it("another key's ciphertext: IncorrectKeyException when KeyId names this key; decrypts under its own key otherwise", async () => {
    const foreign = (await encrypt(p.user, { KeyId: b.id, Plaintext: PLAINTEXT })).CiphertextBlob;
    expect((await rejection(decrypt(p.user, { CiphertextBlob: foreign, KeyId: a.id }))).name).toBe("IncorrectKeyException");
    // An RSA key named for a symmetric ciphertext did not make it either (AWS: IncorrectKeyException).
    expect((await rejection(decrypt(p.user, { CiphertextBlob: foreign, KeyId: rsa.id, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" }))).name).toBe(
      "IncorrectKeyException",
    );
    const own = await decrypt(p.user, { CiphertextBlob: foreign });
    expect(own.KeyId).toBe(b.arn);
    expect(own.Plaintext.equals(PLAINTEXT)).toBe(true);
    // … only for a caller allowed to use keys.
    expect((await rejection(decrypt(p.admin, { CiphertextBlob: foreign }))).name).toBe("AccessDeniedException");
    expect((await rejection(decrypt(p.auditor, { CiphertextBlob: foreign }))).name).toBe("AccessDeniedException");
    // A header rewritten to name key A does not authenticate under A.
    const renamed = Buffer.from(foreign);
    Buffer.from(a.id.replace(/-/g, ""), "hex").copy(renamed, 2);
    expect((await rejection(decrypt(p.user, { CiphertextBlob: renamed }))).name).toBe("InvalidCiphertextException");
    expect((await rejection(decrypt(p.user, { CiphertextBlob: renamed, KeyId: a.id }))).name).toBe("InvalidCiphertextException");
  });

  it("the encryption context must match exactly (order does not matter)", async () => {
    const cases: Array<[string, Record<string, string> | undefined, string]> = [
      ["same pairs, other order", { "ünïcödé": "välue", purpose: "tamper-test", tenant: "acme" }, "ok"],
      ["missing", undefined, "InvalidCiphertextException"],
      ["empty", {}, "InvalidCiphertextException"],
      ["one pair missing", { tenant: "acme", purpose: "tamper-test" }, "InvalidCiphertextException"],
      ["extra pair", { ...CONTEXT, extra: "1" }, "InvalidCiphertextException"],
      ["changed value", { ...CONTEXT, tenant: "acme2" }, "InvalidCiphertextException"],
      ["value case changed", { ...CONTEXT, tenant: "ACME" }, "InvalidCiphertextException"],
      ["key case changed", { Tenant: "acme", purpose: "tamper-test", "ünïcödé": "välue" }, "InvalidCiphertextException"],
      ["value normalised differently (NFD)", { ...CONTEXT, "ünïcödé": "välue".normalize("NFD") }, "InvalidCiphertextException"],
      ["pair split differently", { tenant: "acmepurpose", "": "tamper-test", "ünïcödé": "välue" }, "InvalidCiphertextException"],
      ["value with trailing space", { ...CONTEXT, purpose: "tamper-test " }, "InvalidCiphertextException"],
    ];
    const got: Record<string, string> = {};
    for (const [label, context] of cases) got[label] = await outcome(decrypt(p.user, { CiphertextBlob: blob, ...(context ? { EncryptionContext: context } : {}) }));
    expect(got).toEqual(Object.fromEntries(cases.map(([label, , want]) => [label, want])));

    // No context at encryption: none and {} both decrypt; any pair fails.
    const bare = (await encrypt(p.user, { KeyId: a.id, Plaintext: PLAINTEXT })).CiphertextBlob;
    expect(await outcome(decrypt(p.user, { CiphertextBlob: bare }))).toBe("ok");
    expect(await outcome(decrypt(p.user, { CiphertextBlob: bare, EncryptionContext: {} }))).toBe("ok");
    expect(await outcome(decrypt(p.user, { CiphertextBlob: bare, EncryptionContext: { a: "" } }))).toBe("InvalidCiphertextException");
  });

  it("a tampered data key ciphertext is rejected the same way", async () => {
    const { CiphertextBlob } = await generateDataKey(p.user, { KeyId: a.id, KeySpec: "AES_256", EncryptionContext: { k: "v" } });
    const t = Buffer.from(CiphertextBlob);
    t[t.length - 1] ^= 0x10;
    expect(await outcome(decrypt(p.user, { CiphertextBlob: t, EncryptionContext: { k: "v" } }))).toBe("InvalidCiphertextException");
    expect(await outcome(decrypt(p.user, { CiphertextBlob, EncryptionContext: { k: "w" } }))).toBe("InvalidCiphertextException");
  });

  it("the state check wins over the ciphertext check: a tampered blob of a disabled key is DisabledException", async () => {
    const c = await newKey(p.admin, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");
    const good = (await encrypt(p.user, { KeyId: c.id, Plaintext: PLAINTEXT })).CiphertextBlob;
    await disable(p.admin, c);
    const t = Buffer.from(good);
    t[40] ^= 1;
    expect(await outcome(decrypt(p.user, { CiphertextBlob: t }))).toBe("DisabledException");
  });
});

describe("ReEncrypt with tampered input", () => {
  it("rejects every region's bit flip and a wrong source context with InvalidCiphertextException", async () => {
    const seen = new Set<string>();
    for (const [region, start] of REGIONS(blob.length)) {
      if (region === "key ID") continue; // covered in Decrypt (names another key)
      const t = Buffer.from(blob);
      t[start] ^= 0x04;
      seen.add(await outcome(reEncrypt(p.user, { CiphertextBlob: t, SourceEncryptionContext: CONTEXT, DestinationKeyId: b.id })));
    }
    seen.add(await outcome(reEncrypt(p.user, { CiphertextBlob: blob, SourceEncryptionContext: { tenant: "acme" }, DestinationKeyId: b.id })));
    seen.add(await outcome(reEncrypt(p.user, { CiphertextBlob: randomBytes(90), DestinationKeyId: b.id })));
    expect([...seen]).toEqual(["InvalidCiphertextException"]);
    // Another key named as the source.
    expect(await outcome(reEncrypt(p.user, { CiphertextBlob: blob, SourceEncryptionContext: CONTEXT, SourceKeyId: b.id, DestinationKeyId: b.id }))).toBe(
      "IncorrectKeyException",
    );
  });
});

describe("RSA ciphertext through Decrypt", () => {
  let rsaBlob: Buffer;
  beforeAll(async () => {
    rsaBlob = (await encrypt(p.user, { KeyId: rsa.id, Plaintext: PLAINTEXT, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" })).CiphertextBlob;
  });
  const rsaDec = (CiphertextBlob: Uint8Array, EncryptionAlgorithm = "RSAES_OAEP_SHA_256") =>
    outcome(decrypt(p.user, { CiphertextBlob, KeyId: rsa.id, EncryptionAlgorithm }));

  it("decrypts the untouched blob; rejects flips, truncation, padding, the other OAEP hash and junk", async () => {
    expect(await rsaDec(rsaBlob)).toBe("ok");
    const seen = new Set<string>();
    for (let i = 0; i < rsaBlob.length; i += 7) {
      const t = Buffer.from(rsaBlob);
      t[i] ^= 1 << i % 8;
      seen.add(await rsaDec(t));
    }
    seen.add(await rsaDec(rsaBlob.subarray(1)));
    seen.add(await rsaDec(rsaBlob.subarray(0, rsaBlob.length - 1)));
    seen.add(await rsaDec(Buffer.concat([rsaBlob, Buffer.alloc(1)])));
    seen.add(await rsaDec(Buffer.concat([Buffer.alloc(1), rsaBlob])));
    seen.add(await rsaDec(rsaBlob, "RSAES_OAEP_SHA_1"));
    seen.add(await rsaDec(Buffer.alloc(rsaBlob.length)));
    seen.add(await rsaDec(Buffer.alloc(rsaBlob.length, 0xff))); // ≥ the modulus
    seen.add(await rsaDec(randomBytes(1)));
    seen.add(await rsaDec(randomBytes(6144)));
    seen.add(await outcome(decrypt(p.user, { CiphertextBlob: rsaBlob }))); // no KeyId: not a symmetric blob
    expect([...seen]).toEqual(["InvalidCiphertextException"]);
  });
});
