// Raw DEFLATE and INFLATE of many small inputs through one zlib stream each,
// reset between inputs (issue 16). zlib.deflateRawSync and inflateRawSync
// build a Transform stream, a native zlib state and an output buffer for every
// call, then throw them away: for a 1 KB audit record with a preset dictionary
// that setup costs about as much as the compression itself. Measured on 4,000
// records: deflate 34.5–42.5 → 23.5–34.7 µs a record on Node 20, inflate
// 13.3–15.6 → 5.8–7.4 µs (bench/record-codec.mjs).
//
// Node has no public API for a reusable synchronous zlib stream, so this drives
// the native handle under zlib.DeflateRaw / InflateRaw (writeSync, reset and
// _writeState: the calls zlib's own sync functions make), fenced so that it
// cannot return a wrong result:
// - When first opened, a stream must pass checks against the one-shot function
//   on the caller's samples, or it is never used (a Node version whose
//   internals differ).
// - An input that is not a Buffer, an output that does not fit the 64 KB
//   buffer, or an input not consumed whole goes to the one-shot function.
// - zlib's error for a damaged input is thrown as the one-shot function throws
//   it (the same message, code and errno); any other failure hands the input to
//   the one-shot function. Either way the next input gets a new stream.
// - A destroyed stream is never written again: Node aborts the process (a C++
//   CHECK, not an exception) on a write to a closed handle.
// Inflate returns exactly what inflateRawSync returns. Deflate returns a valid
// raw DEFLATE stream of the input, the same bytes as deflateRawSync's except
// rarely (~0.5 % of inputs with random text in them): deflateReset keeps the
// window, and zlib's match search may read past the end of the input into the
// previous input's bytes, which can change the choice between equally valid
// encodings — never what it inflates to.
// Plain JS (with reused-zlib.d.mts) for the same reason as the audit record codec.
import zlib from "node:zlib";

const { Z_FINISH } = zlib.constants;
/** Output room: a deflated audit record is ~200 bytes and its text ~1.2 KB; larger outputs take the one-shot path. */
const OUT_BYTES = 64 * 1024;

/**
 * `deflateRawSync(input, options)` through one reused stream, returning the
 * deflated bytes after `reserve` leading bytes left to the caller (a format
 * tag). `samples`: typical inputs; when the stream is first opened, each must
 * inflate back to itself and the first must give deflateRawSync's bytes.
 */
export function reusedDeflateRaw(options, samples) {
  const inputs = samples.map((s) => Buffer.from(s, "utf8"));
  const check = (deflate) =>
    inputs.length > 0 &&
    inputs.every((input, i) => {
      const out = deflate(input, 0);
      if (!out || !zlib.inflateRawSync(out, { dictionary: options.dictionary }).equals(input)) return false;
      return i > 0 || out.equals(zlib.deflateRawSync(input, options)); // a fresh stream: the settings are the one-shot's
    });
  return reused(() => new zlib.DeflateRaw(options), check, (input) => zlib.deflateRawSync(input, options));
}

/** `inflateRawSync(input, options)` through one reused stream; `samples` as for reusedDeflateRaw (each must come back whole). */
export function reusedInflateRaw(options, samples) {
  const cases = samples.map((s) => {
    const text = Buffer.from(s, "utf8");
    return { text, packed: zlib.deflateRawSync(text, { dictionary: options.dictionary }) };
  });
  const check = (inflate) => cases.length > 0 && cases.every(({ text, packed }) => inflate(packed, 0)?.equals(text));
  return reused(() => new zlib.InflateRaw(options), check, (input) => zlib.inflateRawSync(input, options));
}

/** `bytes` after `reserve` leading bytes left to the caller. */
function reserved(bytes, reserve) {
  if (reserve === 0) return bytes;
  const out = Buffer.allocUnsafe(reserve + bytes.length);
  bytes.copy(out, reserve);
  return out;
}

function reused(create, check, oneShot) {
  const buffer = Buffer.allocUnsafe(OUT_BYTES); // kept across streams: a damaged input costs no new 64 KB
  let engine;
  let checked = false;
  let retired = false;
  const ensure = () => {
    if (engine || retired) return;
    const opened = openEngine(create, buffer);
    // The checks run once: a stream opened again after a damaged input is the same code on the same Node.
    if (opened && (checked || check(opened))) {
      engine = opened;
      checked = true;
    } else {
      opened?.close();
      retired = true;
    }
  };
  const transform = (input, reserve = 0) => {
    if (!Number.isInteger(reserve) || reserve < 0) throw new RangeError("reserve must be a non-negative integer");
    if (!Buffer.isBuffer(input)) return reserved(oneShot(input), reserve);
    ensure();
    if (engine) {
      try {
        const out = engine(input, reserve);
        if (out) return out;
      } catch (e) {
        engine.close();
        engine = undefined; // a failed stream is not reused; the next input gets a new one
        if (isZlibVerdict(e)) throw e; // zlib refused the input: the error inflateRawSync throws
      }
    }
    return reserved(oneShot(input), reserve);
  };
  // For tests and diagnostics: whether the reused stream is in use (false after a Node upgrade that changed
  // its internals). Reading it opens the stream if it is not open yet.
  Object.defineProperty(transform, "reusing", {
    get: () => {
      ensure();
      return !retired;
    },
  });
  return transform;
}

/** zlib's verdict on an input (Z_DATA_ERROR, Z_BUF_ERROR, …), as opposed to a failure of the stream itself. */
const isZlibVerdict = (e) => e instanceof Error && /^Z_/.test(String(e.code));

/** One stream's transform (undefined when the internals are not there); `.close()` releases it. */
function openEngine(create, buffer) {
  let stream;
  try {
    stream = create();
    // A native error destroys the stream and emits 'error' later: seen below as
    // `destroyed`, never an unhandled 'error' event.
    stream.on("error", () => {});
    const handle = stream._handle;
    const state = stream._writeState; // [avail_out, avail_in] after each write
    if (typeof handle?.writeSync !== "function" || typeof handle.reset !== "function" || !(state instanceof Uint32Array)) {
      stream.close();
      return undefined;
    }
    const engine = (input, reserve) => {
      if (stream.destroyed) throw new Error("zlib stream closed");
      handle.writeSync(Z_FINISH, input, 0, input.length, buffer, 0, buffer.length);
      if (stream.destroyed) {
        // Node destroyed it with zlib's error: the same object the one-shot function throws.
        throw stream.errored ?? new Error("zlib stream failed");
      }
      const availOut = state[0];
      const availIn = state[1];
      handle.reset(); // a fresh stream with the dictionary set, for the next input
      if (availIn !== 0 || availOut === 0) return undefined; // not finished within the buffer
      const n = buffer.length - availOut;
      const out = Buffer.allocUnsafe(reserve + n);
      buffer.copy(out, reserve, 0, n);
      return out;
    };
    engine.close = () => {
      if (!stream.destroyed) stream.close();
    };
    return engine;
  } catch {
    if (stream && !stream.destroyed) stream.close();
    return undefined;
  }
}
