import { describe, expect, it } from "vitest";
import { contextMember, fromB64, parseContext, short, toB64, toHex, utf8 } from "./codec";

describe("playground codec", () => {
  it("base64 round-trips bytes, large ones too", () => {
    const big = Uint8Array.from({ length: 70_000 }, (_, i) => i % 256);
    expect(fromB64(toB64(big))).toEqual(big);
    expect(toB64(utf8("hé"))).toBe(Buffer.from("hé").toString("base64"));
    expect(toHex(new Uint8Array([0, 15, 255]))).toBe("000fff");
  });
  it("parses key=value pairs and names the first bad one", () => {
    expect(parseContext("purpose=demo, team = e2e")).toEqual({ context: { purpose: "demo", team: "e2e" }, error: "" });
    expect(parseContext("a=1, oops").error).toBe('"oops" is not key=value.');
    expect(parseContext(" ").context).toEqual({});
  });
  it("sends no EncryptionContext member for an empty context", () => {
    expect(contextMember({})).toEqual({});
    expect(contextMember({ a: "b" })).toEqual({ EncryptionContext: { a: "b" } });
  });
  it("cuts long values and says how long they were", () => {
    expect(short("abcdef", 3)).toBe("abc… (6 chars)");
    expect(short("abc", 3)).toBe("abc");
  });
});
