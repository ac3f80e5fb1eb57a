import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encodeEncryptionContext } from "./encryption-context";
import { CiphertextError, CryptoError } from "./errors";
import { decryptSymmetric, encryptSymmetric, parseSymmetricHeader, SYMMETRIC_HEADER_BYTES } from "./symmetric-ciphertext";
import { SymmetricKey } from "./keys/symmetric";

const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const key = randomBytes(32);
const ctx = { department: "finance", app: "payroll" };
const pt = Buffer.from("sixteen byte msg and more");
const blob = encryptSymmetric(key, KEY_ID, 7, pt, ctx);

/** Asserts decrypt fails with CiphertextError and nothing else. */
function rejects(b: Uint8Array, c: Record<string, string> | undefined = ctx) {
  let err: unknown;
  try {
    decryptSymmetric(key, b, c);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(CiphertextError);
  expect((err as Error).name).toBe("CiphertextError");
}

describe("symmetric ciphertext", () => {
  it("round trips and exposes the header", () => {
    expect(decryptSymmetric(key, blob, ctx).equals(pt)).toBe(true);
    expect(parseSymmetricHeader(blob)).toEqual({ keyId: KEY_ID, materialVersion: 7 });
    expect(blob.length).toBe(SYMMETRIC_HEADER_BYTES + 12 + pt.length + 16);
    const empty = encryptSymmetric(key, KEY_ID, 0, Buffer.alloc(0));
    expect(decryptSymmetric(key, empty).length).toBe(0);
    expect(encryptSymmetric(key, KEY_ID, 1, pt).equals(encryptSymmetric(key, KEY_ID, 1, pt))).toBe(false); // random IV
  });

  it("every flipped byte (header, IV, ciphertext, tag) fails", () => {
    for (let i = 0; i < blob.length; i++) {
      const b = Buffer.from(blob);
      b[i] ^= 0x01;
      rejects(b);
    }
  });

  it("truncated, padded, empty and random blobs fail", () => {
    for (let n = 0; n < blob.length; n++) rejects(blob.subarray(0, n));
    rejects(Buffer.concat([blob, Buffer.from([0])]));
    rejects(Buffer.alloc(0));
    for (let i = 0; i < 200; i++) rejects(randomBytes(Math.floor(Math.random() * 120)));
    // Random bytes behind a valid header too.
    for (let i = 0; i < 50; i++) rejects(Buffer.concat([blob.subarray(0, SYMMETRIC_HEADER_BYTES), randomBytes(40)]));
  });

  it("wrong key ID / version in header, wrong key, bad format version", () => {
    const other = Buffer.from(blob);
    Buffer.from("ffffffffffffffffffffffffffffffff", "hex").copy(other, 2);
    rejects(other);
    const ver = Buffer.from(blob);
    ver.writeUInt32BE(8, 18);
    rejects(ver);
    const fmt = Buffer.from(blob);
    fmt[1] = 2;
    expect(() => parseSymmetricHeader(fmt)).toThrow(CiphertextError);
    const nil = Buffer.from(blob);
    nil.fill(0, 2, 18);
    expect(() => parseSymmetricHeader(nil)).toThrow(CiphertextError);
    expect(() => decryptSymmetric(randomBytes(32), blob, ctx)).toThrow(CiphertextError);
  });

  it("changed, missing and extra context pairs fail; order does not matter", () => {
    rejects(blob, { ...ctx, app: "payrolL" });
    rejects(blob, { department: "finance" });
    rejects(blob, { ...ctx, extra: "x" });
    rejects(blob, {});
    expect(() => decryptSymmetric(key, blob, undefined)).toThrow(CiphertextError);
    rejects(blob, { departmentapp: "financepayroll" });
    expect(decryptSymmetric(key, blob, { app: "payroll", department: "finance" }).equals(pt)).toBe(true);
  });

  it("SymmetricKey handle wraps the same format", () => {
    const k = new SymmetricKey(key);
    const b = k.encrypt(KEY_ID, 3, pt, ctx);
    expect(decryptSymmetric(key, b, ctx).equals(pt)).toBe(true);
    expect(k.decrypt(blob, ctx).equals(pt)).toBe(true);
    expect(() => k.decrypt(Buffer.alloc(3))).toThrow(CiphertextError);
  });

  it("rejects bad key IDs and versions on encrypt", () => {
    expect(() => encryptSymmetric(key, "not-a-uuid", 1, pt)).toThrow(CryptoError);
    expect(() => encryptSymmetric(key, KEY_ID, -1, pt)).toThrow(CryptoError);
    expect(() => encryptSymmetric(key, KEY_ID, 2 ** 32, pt)).toThrow(CryptoError);
  });
});

describe("encryption context encoding", () => {
  it("is order independent, empty == undefined, unambiguous", () => {
    expect(encodeEncryptionContext({ a: "1", b: "2" }).equals(encodeEncryptionContext({ b: "2", a: "1" }))).toBe(true);
    expect(encodeEncryptionContext({}).equals(encodeEncryptionContext(undefined))).toBe(true);
    expect(encodeEncryptionContext({ ab: "c" }).equals(encodeEncryptionContext({ a: "bc" }))).toBe(false);
    expect(encodeEncryptionContext({ a: "", b: "" }).equals(encodeEncryptionContext({ a: "b" }))).toBe(false);
    expect(encodeEncryptionContext({ "é": "ü" }).equals(encodeEncryptionContext({ "é": "ü" }))).toBe(true);
  });
  it("rejects non-string values and lone surrogates", () => {
    expect(() => encodeEncryptionContext({ a: 1 as unknown as string })).toThrow(CryptoError);
    expect(() => encodeEncryptionContext({ a: "\ud800" })).toThrow(CryptoError);
  });
});
