// Audit record storage (issue 16): the record text, exactly as hashed, stored
// as raw DEFLATE with a preset dictionary of typical CloudTrail KMS records,
// behind a one-byte format tag (format 2 leaves the eventID's value to the
// row's eventId column: decoding puts it back). A 1.3 KB record becomes ~185
// bytes; rows written before (no body) keep their plain text in the record column.
// Plain JS (with audit-record-codec.d.mts) so the bench seeding uses the same codec
// without a TypeScript loader.
//
// NEVER edit a published dictionary: rows written with it could no longer be
// read. A better dictionary is a new version (the next tag); old ones stay.
import { reusedDeflateRaw, reusedInflateRaw } from "./reused-zlib.mjs";

/**
 * Dictionary v1: two typical records (a denied call, then the most common shape, an Encrypt, last:
 * DEFLATE reaches the end cheapest). Small on purpose: zlib hashes the whole dictionary for every
 * record, so five records (6.4 KB) cost 37 µs a record and two (2.7 KB) ~20 µs for the same size.
 */
const DICTIONARY_V1 = Buffer.from(
  [
    "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"3f0e3c1a-5b7d-4e2f-9a1b-2c3d4e5f6a7b\",\"arn\":\"arn:aws:iam::111122223333:user/alice\",\"accountId\":\"111122223333\",\"accessKeyId\":\"AKIAIOSFODNN7EXAMPLE\",\"userName\":\"alice\",\"sessionContext\":{\"attributes\":{\"mfaAuthenticated\":\"false\"}}},\"eventTime\":\"2026-12-02T07:45:14.484Z\",\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"Decrypt\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"10.0.0.1\",\"userAgent\":\"aws-sdk-js/3.700.0 ua/2.1 os/linux#6.1 lang/js md/nodejs#20.20.2 api/kms#3.700.0 m/E\",\"requestParameters\":{\"keyId\":\"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\",\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\",\"encryptionContext\":{\"purpose\":\"test\"}},\"responseElements\":null,\"additionalEventData\":{\"via\":\"api\"},\"errorCode\":\"AccessDeniedException\",\"errorMessage\":\"User: arn:aws:iam::111122223333:user/alice is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab because no resource-based policy allows the kms:Decrypt action\",\"requestID\":\"1207dd60-aa68-4ab4-b0fc-acc7c0ba7bbc\",\"eventID\":\"5b9abf54-0442-49f0-86ed-6aed2d4d0e9b\",\"readOnly\":true,\"resources\":[{\"ARN\":\"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\",\"accountId\":\"111122223333\",\"type\":\"AWS::KMS::Key\"}],\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"111122223333\",\"eventCategory\":\"Management\"}",
    "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"3f0e3c1a-5b7d-4e2f-9a1b-2c3d4e5f6a7b\",\"arn\":\"arn:aws:iam::111122223333:user/alice\",\"accountId\":\"111122223333\",\"accessKeyId\":\"AKIAIOSFODNN7EXAMPLE\",\"userName\":\"alice\",\"sessionContext\":{\"attributes\":{\"mfaAuthenticated\":\"false\"}}},\"eventTime\":\"2026-12-02T07:45:14.484Z\",\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"Encrypt\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"10.0.0.1\",\"userAgent\":\"aws-sdk-js/3.700.0 ua/2.1 os/linux#6.1 lang/js md/nodejs#20.20.2 api/kms#3.700.0 m/E\",\"requestParameters\":{\"keyId\":\"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\",\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\",\"encryptionContext\":{\"tenant\":\"t1\"}},\"responseElements\":null,\"additionalEventData\":{\"keyMaterialId\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"via\":\"api\"},\"requestID\":\"3ae3d4cb-ff79-4ec6-b919-add9739d1d6d\",\"eventID\":\"269ffe93-7a88-43bf-a855-fd72d350eff9\",\"readOnly\":true,\"resources\":[{\"ARN\":\"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\",\"accountId\":\"111122223333\",\"type\":\"AWS::KMS::Key\"}],\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"111122223333\",\"eventCategory\":\"Management\"}",
  ].join("\n"),
  "utf8",
);

// Format 1: the whole text, deflated with dictionary v1.
// Format 2: the same, but the eventID's value (a random UUID, ~19 of a record's ~170 deflated bytes: random hex
// does not compress) is kept only in the row's eventId column; the stored text holds a raw U+0001 in its place.
// JSON text never holds a raw control character (JSON.stringify escapes U+0000–U+001F), so the marker is
// unambiguous, and the exact text (as hashed) comes back with the row's eventId put where the marker is.
const DICTIONARIES = new Map([
  [1, DICTIONARY_V1],
  [2, DICTIONARY_V1],
]);
const EVENT_ID_ELIDED = 2;
/** The tag new rows are written with (format 1 when a text does not name the row's eventID). */
export const RECORD_FORMAT = EVENT_ID_ELIDED;
const MARKER = "\u0001";
const EVENT_ID_KEY = '"eventID":"';
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// An 8 KB window covers the whole dictionary and costs a third of the default 32 KB one to set up per record;
// memLevel 4 (a 2K-entry hash instead of 32K) trims the rest: 35–40 → 31–32 µs a record on 4,000 seeded
// records, byte-identical output (measured). Only the compressor's work changes: every setting decodes alike.
// chunkSize: zlib's sync calls allocate one output buffer of chunkSize per call (16 KB by default) for a
// ~200-byte result: 1 KB (deflate) and 4 KB (inflate, ~1.2 KB of text) cut the garbage; larger outputs take
// more chunks, same bytes. In place, an audited Encrypt went 216–223 → 185–194 µs CPU (bench/audit-cost.ts),
// inflate 14–23 → 9–11 µs a record.
const OPTIONS = { level: 6, windowBits: 13, memLevel: 4, chunkSize: 1024 };
const INFLATE_CHUNK = 4096;

// One zlib stream for every record, each way (reused-zlib.mjs), instead of a
// stream per record. Any valid DEFLATE of the text is a valid body (the hash
// covers the text, never the body). The dictionary's own records are the
// samples each stream is checked on when it opens.
const samplesOf = (dictionary) => dictionary.toString("utf8").split("\n");
const deflate = reusedDeflateRaw({ ...OPTIONS, dictionary: DICTIONARY_V1 }, samplesOf(DICTIONARY_V1));
const inflaters = new Map();
function inflaterFor(format) {
  const dictionary = DICTIONARIES.get(format);
  if (!dictionary) return undefined;
  let inflate = inflaters.get(format);
  if (!inflate) inflaters.set(format, (inflate = reusedInflateRaw({ dictionary, chunkSize: INFLATE_CHUNK }, samplesOf(dictionary))));
  return inflate;
}

/** Whether records are compressed and read through reused streams (for tests and diagnostics). */
export const codecReusesStreams = () => deflate.reusing && inflaterFor(RECORD_FORMAT).reusing;

// The text's UTF-8 bytes go through one scratch buffer, not a new Buffer per
// record: the record is deflated at once, and Buffer.from's pool would hand
// out a fresh 8 KB ArrayBuffer every few records for the GC to sweep.
const scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * The stored form of a record text: [tag][deflated bytes]. With `eventId` (the row's eventId column, a
 * lowercase UUID) and a text that holds `"eventID":"<eventId>"`, format 2 (the value elided); else format 1.
 */
export function encodeRecord(text, eventId) {
  // UTF-8 takes at most 3 bytes per UTF-16 unit: a text that could overflow the scratch gets its own buffer (format 1).
  const fits = text.length * 3 <= scratch.length;
  const at = fits && eventId !== undefined && CANONICAL_UUID.test(eventId) && text.indexOf(MARKER) < 0 ? text.indexOf(EVENT_ID_KEY + eventId + '"') : -1;
  let input;
  if (at >= 0) {
    // Written in three parts into the scratch: no copy of the text with the marker in it.
    const cut = at + EVENT_ID_KEY.length;
    let n = scratch.write(text.slice(0, cut), 0, "utf8");
    n += scratch.write(MARKER, n, "latin1");
    n += scratch.write(text.slice(cut + eventId.length), n, "utf8");
    input = scratch.subarray(0, n);
  } else {
    input = fits ? scratch.subarray(0, scratch.write(text, "utf8")) : Buffer.from(text, "utf8");
  }
  const out = deflate(input, 1);
  out[0] = at >= 0 ? EVENT_ID_ELIDED : 1;
  return out;
}

/**
 * The record text of a stored row: its plain text (rows from before), else its decoded body. A format 2 body
 * needs the row's `eventId` (select it with the body).
 */
export function decodeRecord(row) {
  if (row.body == null) {
    if (row.record == null) throw new Error("audit row holds neither a record nor a body");
    return row.record;
  }
  const body = Buffer.isBuffer(row.body) ? row.body : Buffer.from(row.body.buffer, row.body.byteOffset, row.body.byteLength);
  const format = body[0];
  const inflate = inflaterFor(format);
  if (!inflate) throw new Error(`audit record format ${format} is unknown to this version`);
  const text = inflate(body.subarray(1)).toString("utf8");
  if (format !== EVENT_ID_ELIDED) return text;
  const eventId = row.eventId;
  if (typeof eventId !== "string" || !CANONICAL_UUID.test(eventId)) throw new Error("an audit record of format 2 is read with its row's eventId");
  const at = text.indexOf(MARKER);
  if (at < 0) throw new Error("audit record format 2 without its eventID marker");
  return text.slice(0, at) + eventId + text.slice(at + 1);
}
