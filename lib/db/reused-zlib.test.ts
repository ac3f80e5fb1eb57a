import { randomBytes, randomUUID } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { reusedDeflateRaw, reusedInflateRaw } from "./reused-zlib.mjs";

const dictionary = Buffer.from('{"eventVersion":"1.08","eventSource":"kms.amazonaws.com","eventName":"Encrypt","readOnly":true}');
const options = { level: 6, windowBits: 13, memLevel: 4, chunkSize: 1024, dictionary };
const record = () => JSON.stringify({ eventVersion: "1.08", eventSource: "kms.amazonaws.com", eventName: "Encrypt", eventID: randomUUID(), readOnly: true });
// Small inputs, incompressible ones larger than the streams' 64 KB output buffer (the one-shot path), and an
// empty one, interleaved: each must start from a fresh stream with the dictionary set.
const inputs = () => [record(), randomBytes(70_000).toString("hex"), record(), "", record(), "x".repeat(200_000), record()];

describe("reused raw DEFLATE stream", () => {
  it("is in use on this Node version and gives deflateRawSync's bytes, input after input", () => {
    const deflate = reusedDeflateRaw(options, [record()]);
    expect(deflate.reusing).toBe(true);
    for (const text of inputs()) {
      const input = Buffer.from(text, "utf8");
      expect(deflate(input)).toEqual(deflateRawSync(input, options));
    }
    expect(deflate.reusing).toBe(true);
  });

  it("leaves the reserved leading bytes to the caller", () => {
    const deflate = reusedDeflateRaw(options, [record()]);
    for (const text of [record(), randomBytes(70_000).toString("hex")]) {
      const input = Buffer.from(text, "utf8");
      expect(deflate(input, 1).subarray(1)).toEqual(deflateRawSync(input, options));
    }
  });

  it("is never used when it cannot reproduce deflateRawSync for the samples", () => {
    // A sample whose output does not fit the stream's buffer cannot be checked: the stream is not used.
    const deflate = reusedDeflateRaw(options, [randomBytes(70_000).toString("hex")]);
    expect(deflate.reusing).toBe(false);
    const input = Buffer.from(record());
    expect(deflate(input)).toEqual(deflateRawSync(input, options));
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
    let expected: unknown;
    try {
      inflateRawSync(truncated, { dictionary });
    } catch (e) {
      expected = e;
    }
    expect(() => inflate(truncated)).toThrow((expected as Error).message);
    expect(() => inflate(Buffer.from([0xff, 0xff, 0xff]))).toThrow();
    expect(inflate(packed).toString("utf8")).toBe(text);
    expect(inflate.reusing).toBe(true);
  });

  it("reads bytes past the end of the DEFLATE stream as inflateRawSync does", () => {
    const inflate = reusedInflateRaw({ dictionary }, [record()]);
    const text = record();
    const padded = Buffer.concat([deflateRawSync(Buffer.from(text), options), Buffer.from("trailing")]);
    expect(inflate(padded)).toEqual(inflateRawSync(padded, { dictionary }));
  });
});
