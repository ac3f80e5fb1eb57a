import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeRecord, encodeRecord, codecReusesStreams, RECORD_FORMAT } from "./audit-record-codec.mjs";

const EVENT_ID = "269ffe93-7a88-43bf-a855-fd72d350eff9";
const record = (extra: object) =>
  JSON.stringify({ eventVersion: "1.08", eventName: "PutKeyPolicy", eventTime: "2026-12-02T16:00:00.000Z", readOnly: false, ...extra });

describe("audit record codec", () => {
  it("gives back exactly the text it stored, whatever its size and characters", () => {
    const policy = { Version: "2012-10-17", Statement: Array.from({ length: 300 }, (_, i) => ({ Sid: `s${i}`, Effect: "Allow", Action: "kms:*", Resource: "*" })) };
    // Random hex does not compress: a body and a text several times zlib's output chunk sizes (1 KB, 4 KB).
    const noise = randomBytes(6000).toString("hex");
    const large = record({ requestParameters: { policy: JSON.stringify(policy), description: noise } });
    expect(encodeRecord(large).length).toBeGreaterThan(4 * 1024);
    for (const text of [record({}), large, record({ userAgent: "ünïcödé ✓ \u2028 'quoted'" }), "{}"]) {
      const body = encodeRecord(text);
      expect(body[0]).toBe(1);
      expect(decodeRecord({ body, eventId: EVENT_ID })).toBe(text);
    }
  });

  it("encodes texts of 3-byte characters on both sides of its 64 KB scratch buffer's limit", () => {
    // ✓ is 3 bytes in UTF-8: a text of up to 21,845 UTF-16 units goes through the scratch, one unit more takes a buffer of its own.
    const around = record({ userAgent: "" }).length;
    for (const n of [21_845 - around, 21_846 - around, 5]) {
      const text = record({ userAgent: "✓".repeat(n) });
      expect(decodeRecord({ body: encodeRecord(text), eventId: EVENT_ID })).toBe(text);
    }
  });

  it("compresses and reads through reused zlib streams", () => {
    expect(codecReusesStreams()).toBe(true);
    for (let i = 0; i < 200; i++) {
      const text = record({ requestParameters: { keyId: `alias/app-${i}`, noise: randomBytes(i * 3).toString("base64") } });
      expect(decodeRecord({ body: encodeRecord(text), eventId: EVENT_ID })).toBe(text);
    }
  });

  it("still reads a row written by an earlier version of the encoder (format 1, zlib memLevel 8)", () => {
    // Compressor settings may change; the format (raw DEFLATE, dictionary v1) may not.
    const text = '{"eventVersion":"1.08","eventName":"Encrypt","eventTime":"2026-11-30T10:00:00.000Z","requestParameters":{"keyId":"alias/app","encryptionContext":{"tenant":"ü-42"}},"readOnly":true}';
    const body = Buffer.from("01c355ca61cf8898f9dc50d7d820c4d0c0ca0084f40c0c0ca208e68b9cccc462fdc482028269f5f01e5d13236872458ebb5a00", "hex");
    expect(decodeRecord({ body, eventId: EVENT_ID })).toBe(text);
  });

  it("answers a damaged body with zlib's error, then reads the next row as before", () => {
    const text = record({ userAgent: "after the damaged one" });
    const body = encodeRecord(text);
    expect(() => decodeRecord({ body: body.subarray(0, body.length - 5), eventId: EVENT_ID })).toThrow(/unexpected end of file/);
    expect(() => decodeRecord({ body: Buffer.from([RECORD_FORMAT, 0xff, 0xff, 0xff]), eventId: EVENT_ID })).toThrow();
    expect(decodeRecord({ body, eventId: EVENT_ID })).toBe(text);
    expect(codecReusesStreams()).toBe(true);
  });

  it("reads rows from before compression (plain text) and refuses an unknown format", () => {
    expect(decodeRecord({ body: null, record: "{\"a\":1}", eventId: EVENT_ID })).toBe("{\"a\":1}");
    expect(() => decodeRecord({ body: Buffer.from([9, 0]), eventId: EVENT_ID })).toThrow(/format 9 is unknown/);
  });

  describe("format 2: the eventID's value kept only in the row's eventId column", () => {
    const withId = (id: string, extra: object = {}) => record({ requestID: randomUUID(), eventID: id, ...extra });

    it("stores a record naming its row's eventId without the UUID, and gives back the exact text", () => {
      for (let i = 0; i < 50; i++) {
        const id = randomUUID();
        const text = withId(id, { requestParameters: { encryptionContext: { n: String(i), "✓": "ü" } } });
        const body = encodeRecord(text, id);
        expect(body[0]).toBe(RECORD_FORMAT);
        expect(RECORD_FORMAT).toBe(2);
        // The UUID's hex digits are not in the body: it is 15+ bytes shorter than format 1's.
        expect(encodeRecord(text).length - body.length).toBeGreaterThanOrEqual(15);
        expect(decodeRecord({ body, eventId: id })).toBe(text);
      }
    });

    it("is exact when the same UUID or the eventID key appears elsewhere in the record (a caller's encryption context)", () => {
      const id = randomUUID();
      for (const text of [
        record({ requestParameters: { encryptionContext: { eventID: id } }, eventID: id }),
        record({ requestParameters: { encryptionContext: { eventID: "" } }, eventID: id }),
        record({ eventID: id, additionalEventData: { note: `"eventID":"${id}"` } }),
      ]) {
        const body = encodeRecord(text, id);
        expect(body[0]).toBe(2);
        expect(decodeRecord({ body, eventId: id })).toBe(text);
      }
    });

    it("falls back to format 1 when the text does not name that eventId, or the id is not a lowercase UUID", () => {
      const id = randomUUID();
      for (const [text, eventId] of [
        [withId(randomUUID()), id],
        [withId(id.toUpperCase()), id.toUpperCase()],
        [record({}), id],
        [withId(id), "not-a-uuid"],
      ] as const) {
        const body = encodeRecord(text, eventId);
        expect(body[0]).toBe(1);
        expect(decodeRecord({ body, eventId })).toBe(text);
      }
    });

    it("reads back a different text when the row's eventId column was changed (so the chain's hash no longer matches)", () => {
      const id = randomUUID();
      const other = randomUUID();
      const text = withId(id);
      const body = encodeRecord(text, id);
      expect(decodeRecord({ body, eventId: other })).toBe(text.replace(id, other));
      expect(decodeRecord({ body, eventId: other })).not.toBe(text);
    });

    it("refuses to read a format 2 body without its row's eventId", () => {
      const id = randomUUID();
      const body = encodeRecord(withId(id), id);
      expect(() => decodeRecord({ body } as never)).toThrow(/format 2 is read with its row's eventId/);
      expect(() => decodeRecord({ body, eventId: "" })).toThrow(/format 2 is read with its row's eventId/);
    });

    it("still reads format 1 rows after the switch", () => {
      const id = randomUUID();
      const text = withId(id);
      const old = encodeRecord(text);
      expect(old[0]).toBe(1);
      expect(decodeRecord({ body: old, eventId: id })).toBe(text);
    });
  });
});
