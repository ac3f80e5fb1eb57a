// The end-of-run secret scan (tests/secret-registry.ts) finds a secret in
// every form it could leak in, and nothing else.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SecretScanner, type Entry } from "./secret-registry";

const bytesEntry = (b: Buffer): Entry => ({ label: "bytes", kind: "bytes", hex: b.toString("hex") });
const textEntry = (s: string): Entry => ({ label: "text", kind: "text", hex: Buffer.from(s).toString("hex") });

describe("secret scanner", () => {
  const key = randomBytes(32);
  const password = 'pass "word" with quotes';
  const scanner = new SecretScanner([bytesEntry(key), textEntry(password)]);
  const record = (value: unknown) => JSON.stringify({ eventName: "X", requestParameters: { value } });

  it("finds a data key as base64, base64url, hex and a byte list, and a password raw or JSON-escaped", () => {
    for (const leaked of [key.toString("base64"), key.toString("base64url"), key.toString("hex"), key.toString("hex").toUpperCase(), `prefix${key.toString("base64")}`]) {
      expect(scanner.scan(record(leaked), "r").map((f) => f.label)).toContain("bytes");
    }
    expect(scanner.scan(JSON.stringify({ v: { type: "Buffer", data: [...key] } }), "r").map((f) => f.form)).toContain("byte list");
    expect(scanner.scan(record(password), "r").map((f) => f.form)).toContain("raw (JSON-escaped)");
    expect(scanner.scan(record(Buffer.from(password).toString("base64")), "r").map((f) => f.form)).toContain("base64");
  });

  it("reports nothing for records without them", () => {
    expect(scanner.scan(record(randomBytes(32).toString("base64")), "r")).toEqual([]);
    expect(scanner.scan(record(key.subarray(0, 16).toString("hex")), "r")).toEqual([]);
  });

  it("scans a large record set quickly", () => {
    const many = new SecretScanner(Array.from({ length: 2000 }, () => bytesEntry(randomBytes(32))));
    const text = Array.from({ length: 2000 }, () => record(randomBytes(600).toString("base64"))).join("\n");
    const started = performance.now();
    expect(many.scan(text, "bulk")).toEqual([]);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
