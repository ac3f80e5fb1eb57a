import { randomBytes, randomUUID } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { reusedDeflateRaw, reusedInflateRaw } from "./reused-zlib.mjs";

const dictionary = Buffer.from('{"eventVersion":"1.08","eventSource":"kms.amazonaws.com","eventName":"Encrypt","readOnly":true}');
const options = { level: 6, windowBits: 13, memLevel: 4, chunkSize: 1024, dictionary };
const record = (extra = "") =>
  JSON.stringify({ eventVersion: "1.08", eventSource: "kms.amazonaws.com", eventName: "Encrypt", eventID: randomUUID(), extra, readOnly: true });
const inflated = (packed: Buffer) => inflateRawSync(packed, { dictionary }).toString("utf8");
// Small inputs, incompressible ones larger than the streams' 64 KB output buffer (the one-shot path), and an
// empty one, interleaved: each must start from a fresh stream with the dictionary set.
const inputs = () => [record(), randomBytes(70_000).toString("hex"), record(), "", record(), "x".repeat(200_000), record()];

describe("reused raw DEFLATE stream", () => {
  it("is in use on this Node version (its check: a fresh stream gives deflateRawSync's bytes for the first sample)", () => {
    expect(reusedDeflateRaw(options, [record(), record()]).reusing).toBe(true);
  });

  it("gives a DEFLATE stream of each input, whatever the one before left in zlib's window", () => {
    const deflate = reusedDeflateRaw(options, [record()]);
    for (const text of inputs()) expect(inflated(deflate(Buffer.from(text, "utf8")))).toBe(text);
    // Random text before each record: the window holds the previous input's bytes past the new one's end.
    for (let i = 0; i < 2_000; i++) {
      deflate(randomBytes(800 + (i % 700)));
      const text = record(randomBytes(i % 1_200).toString("base64"));
      const out = deflate(Buffer.from(text, "utf8"));
      expect(inflated(out)).toBe(text);
    }
    expect(deflate.reusing).toBe(true);
  });

  it("leaves the reserved leading bytes to the caller", () => {
    const deflate = reusedDeflateRaw(options, [record()]);
    for (const text of [record(), randomBytes(70_000).toString("hex")]) {
      expect(inflated(deflate(Buffer.from(text, "utf8"), 1).subarray(1))).toBe(text);
    }
    expect(() => deflate(Buffer.from("x"), -1)).toThrow(RangeError);
  });

  it("sends anything but a Buffer to deflateRawSync (a string, a typed array of wider elements)", () => {
    const deflate = reusedDeflateRaw(options, [record()]);
    const text = record();
    expect(deflate(text as unknown as Buffer)).toEqual(deflateRawSync(text, options));
    const wide = new Uint16Array([1, 2, 3, 60_000]);
    expect(deflate(wide as unknown as Buffer)).toEqual(deflateRawSync(wide, options));
  });

  it("is never used when it cannot be checked on its samples", () => {
    // A sample whose output does not fit the stream's buffer cannot be checked; no sample, no check.
    for (const samples of [[randomBytes(70_000).toString("hex")], []]) {
      const deflate = reusedDeflateRaw(options, samples);
      expect(deflate.reusing).toBe(false);
      const input = Buffer.from(record());
      expect(deflate(input)).toEqual(deflateRawSync(input, options));
    }
  });
});

describe("reused raw INFLATE stream", () => {
  it("gives back what was deflated, input after input", () => {
    const inflate = reusedInflateRaw({ dictionary }, [record()]);
    expect(inflate.reusing).toBe(true);
    for (const text of inputs()) {
      expect(inflate(deflateRawSync(Buffer.from(text, "utf8"), options)).toString("utf8")).toBe(text);
    }
  });

  it("throws zlib's own error for a damaged input, and reads the next one", () => {
    const inflate = reusedInflateRaw({ dictionary }, [record()]);
    const text = record();
    const packed = deflateRawSync(Buffer.from(text), options);
    const truncated = packed.subarray(0, packed.length - 4);
    expect(() => inflateRawSync(truncated, { dictionary })).toThrow(/unexpected end of file/);
    expect(() => inflate(truncated)).toThrow(/unexpected end of file/);
    expect(() => inflate(Buffer.from([0xff, 0xff, 0xff]))).toThrow();
    expect(inflate(packed).toString("utf8")).toBe(text);
    expect(inflate.reusing).toBe(true);
  });

  it("reads bytes past the end of the DEFLATE stream as inflateRawSync does", () => {
    const inflate = reusedInflateRaw({ dictionary }, [record()]);
    const padded = Buffer.concat([deflateRawSync(Buffer.from(record()), options), Buffer.from("trailing")]);
    expect(inflate(padded)).toEqual(inflateRawSync(padded, { dictionary }));
  });
});
