import { randomBytes, randomUUID } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { reusedDeflateRaw } from "./reused-deflate.mjs";

const dictionary = Buffer.from('{"eventVersion":"1.08","eventSource":"kms.amazonaws.com","eventName":"Encrypt","readOnly":true}');
const options = { level: 6, windowBits: 13, memLevel: 4, chunkSize: 1024, dictionary };
const record = () => JSON.stringify({ eventVersion: "1.08", eventSource: "kms.amazonaws.com", eventName: "Encrypt", eventID: randomUUID(), readOnly: true });

describe("reused raw DEFLATE stream", () => {
  it("is in use on this Node version and gives deflateRawSync's bytes, input after input", () => {
    const deflate = reusedDeflateRaw(options, [record()]);
    expect(deflate.reusing).toBe(true);
    // Small inputs, an incompressible one larger than the stream's 16 KB output buffer (the fallback), and an
    // empty one, interleaved: each must start from a fresh stream with the dictionary set.
    const inputs = [record(), randomBytes(40_000).toString("hex"), record(), "", record(), "x".repeat(100_000), record()];
    for (const text of inputs) {
      const input = Buffer.from(text, "utf8");
      const expected = deflateRawSync(input, options);
      expect(deflate(input)).toEqual(expected);
      expect(inflateRawSync(deflate(input), { dictionary }).toString("utf8")).toBe(text);
    }
    expect(deflate.reusing).toBe(true);
  });

  it("leaves the reserved leading bytes to the caller", () => {
    const deflate = reusedDeflateRaw(options, [record()]);
    for (const text of [record(), randomBytes(20_000).toString("hex")]) {
      const input = Buffer.from(text, "utf8");
      const out = deflate(input, 1);
      expect(out.subarray(1)).toEqual(deflateRawSync(input, options));
    }
  });

  it("is never used when it cannot reproduce deflateRawSync for the samples", () => {
    // A sample whose output does not fit the stream's buffer cannot be checked: the stream is not used.
    const deflate = reusedDeflateRaw(options, [randomBytes(40_000).toString("hex")]);
    expect(deflate.reusing).toBe(false);
    const input = Buffer.from(record());
    expect(deflate(input)).toEqual(deflateRawSync(input, options));
  });
});
