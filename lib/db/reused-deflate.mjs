// Raw DEFLATE of many small inputs through one zlib stream, reset between
// inputs (issue 16). zlib.deflateRawSync builds a Transform stream, a native
// zlib state and an output buffer for every call, then throws them away: for a
// 1 KB audit record with a preset dictionary that setup costs about as much as
// the compression itself. Measured on 4,000 records, output byte-identical:
// Node 20 47–77 → 28–33 µs a record, Node 24 29–34 → 15–20 µs.
//
// Node has no public API for a reusable synchronous zlib stream, so this drives
// the native handle under zlib.DeflateRaw (writeSync, reset and _writeState:
// the calls zlib's own sync functions make). It is hard to get wrong by
// construction: at creation it must reproduce deflateRawSync's bytes for the
// given samples, or it is never used; any failure later retires it for good;
// an output that does not fit its buffer is compressed by deflateRawSync. Every
// path returns exactly what deflateRawSync would.
// Plain JS (with reused-deflate.d.mts) for the same reason as the audit record codec.
import zlib from "node:zlib";

const { Z_FINISH } = zlib.constants;
/** Output room: a deflated audit record is ~200 bytes; larger outputs take the fallback. */
const OUT_BYTES = 16 * 1024;

/**
 * A compressor equivalent to `deflateRawSync(input, options)` that returns the
 * deflated bytes after `reserve` leading bytes left for the caller (a format tag).
 * `samples` are typical inputs it must reproduce deflateRawSync's output for.
 */
export function reusedDeflateRaw(options, samples) {
  let engine = openEngine(options, samples);
  const compress = (input, reserve = 0) => {
    if (engine) {
      try {
        const out = engine(input, reserve);
        if (out) return out;
      } catch {
        engine = undefined; // the handle misbehaved: deflateRawSync from now on
      }
    }
    const packed = zlib.deflateRawSync(input, options);
    if (reserve === 0) return packed;
    const out = Buffer.allocUnsafe(reserve + packed.length);
    packed.copy(out, reserve);
    return out;
  };
  // For tests and diagnostics: whether the reused stream is in use (a Node upgrade could retire it).
  Object.defineProperty(compress, "reusing", { get: () => engine !== undefined });
  return compress;
}

function openEngine(options, samples) {
  try {
    const stream = new zlib.DeflateRaw(options);
    // A native error destroys the stream and emits 'error' later: seen below as
    // `destroyed`, and never an unhandled 'error' event.
    stream.on("error", () => {});
    const handle = stream._handle;
    const state = stream._writeState; // [avail_out, avail_in] after each write
    if (typeof handle?.writeSync !== "function" || typeof handle.reset !== "function" || !(state instanceof Uint32Array)) return undefined;
    const buffer = Buffer.allocUnsafe(OUT_BYTES);
    const engine = (input, reserve) => {
      try {
        handle.writeSync(Z_FINISH, input, 0, input.length, buffer, 0, OUT_BYTES);
        if (stream.destroyed) throw new Error("zlib stream failed");
        const availOut = state[0];
        const availIn = state[1];
        if (availIn !== 0 || availOut === 0) return undefined; // did not finish in the buffer
        const n = OUT_BYTES - availOut;
        const out = Buffer.allocUnsafe(reserve + n);
        buffer.copy(out, reserve, 0, n);
        return out;
      } finally {
        handle.reset(); // back to a fresh stream with the dictionary set
      }
    };
    for (const sample of samples) {
      const input = Buffer.from(sample, "utf8");
      if (!engine(input, 0)?.equals(zlib.deflateRawSync(input, options))) return undefined;
    }
    return engine;
  } catch {
    return undefined;
  }
}
