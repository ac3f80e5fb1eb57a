// Raw DEFLATE and INFLATE of many small inputs through one zlib stream each,
// reset between inputs (issue 16). zlib.deflateRawSync and inflateRawSync
// build a Transform stream, a native zlib state and an output buffer for every
// call, then throw them away: for a 1 KB audit record with a preset dictionary
// that setup costs about as much as the compression itself. Measured on 4,000
// records, output byte-identical: deflate on Node 20 47–77 → 28–33 µs a
// record, on Node 24 29–34 → 15–20 µs.
//
// Node has no public API for a reusable synchronous zlib stream, so this drives
// the native handle under zlib.DeflateRaw / InflateRaw (writeSync, reset and
// _writeState: the calls zlib's own sync functions make). It is hard to get
// wrong by construction: every path returns exactly what the one-shot function
// would, or throws its error.
// - When opened, a stream must reproduce the one-shot function's output for the
//   given samples, or it is never used (a Node version whose internals differ).
// - An input whose output does not fit the stream's buffer, or that the stream
//   does not consume whole, goes to the one-shot function.
// - A failure (a corrupt input to inflate) hands that input to the one-shot
//   function, which throws zlib's own error; the stream is opened afresh for
//   the next input.
// Plain JS (with reused-zlib.d.mts) for the same reason as the audit record codec.
import zlib from "node:zlib";

const { Z_FINISH } = zlib.constants;
/** Output room: a deflated audit record is ~200 bytes and its text ~1.2 KB; larger outputs take the one-shot path. */
const OUT_BYTES = 64 * 1024;

/**
 * `deflateRawSync(input, options)`, returning the deflated bytes after
 * `reserve` leading bytes left to the caller (a format tag). `samples`: typical
 * inputs it must reproduce deflateRawSync's output for before it is used.
 */
export function reusedDeflateRaw(options, samples) {
  const checks = samples.map((s) => {
    const input = Buffer.from(s, "utf8");
    return { input, output: zlib.deflateRawSync(input, options) };
  });
  return reused(() => new zlib.DeflateRaw(options), checks, (input, reserve) => {
    const packed = zlib.deflateRawSync(input, options);
    if (reserve === 0) return packed;
    const out = Buffer.allocUnsafe(reserve + packed.length);
    packed.copy(out, reserve);
    return out;
  });
}

/** `inflateRawSync(input, options)`; `samples` as for reusedDeflateRaw (deflated with the same dictionary). */
export function reusedInflateRaw(options, samples) {
  const checks = samples.map((s) => {
    const output = Buffer.from(s, "utf8");
    return { input: zlib.deflateRawSync(output, { dictionary: options.dictionary }), output };
  });
  return reused(() => new zlib.InflateRaw(options), checks, (input) => zlib.inflateRawSync(input, options));
}

function reused(create, checks, oneShot) {
  let engine;
  let retired = false;
  const ensure = () => {
    if (!engine && !retired) {
      engine = openEngine(create, checks);
      retired = !engine;
    }
  };
  const transform = (input, reserve = 0) => {
    ensure();
    if (engine) {
      try {
        const out = engine(input, reserve);
        if (out) return out;
      } catch {
        engine = undefined; // a failed stream is not reused: the one-shot call below gives zlib's own error
      }
    }
    return oneShot(input, reserve);
  };
  // For tests and diagnostics: whether the reused stream is in use (false after a Node upgrade that changed it).
  Object.defineProperty(transform, "reusing", {
    get: () => {
      ensure();
      return !retired;
    },
  });
  return transform;
}

function openEngine(create, checks) {
  try {
    const stream = create();
    // A native error destroys the stream and emits 'error' later: seen below as
    // `destroyed`, never an unhandled 'error' event.
    stream.on("error", () => {});
    const handle = stream._handle;
    const state = stream._writeState; // [avail_out, avail_in] after each write
    if (typeof handle?.writeSync !== "function" || typeof handle.reset !== "function" || !(state instanceof Uint32Array)) return undefined;
    const buffer = Buffer.allocUnsafe(OUT_BYTES);
    const engine = (input, reserve) => {
      // Node aborts the process (not an exception) on a write to a closed handle: never try.
      if (stream.destroyed) throw new Error("zlib stream closed");
      let failed = true;
      try {
        handle.writeSync(Z_FINISH, input, 0, input.length, buffer, 0, OUT_BYTES);
        if (stream.destroyed) throw new Error("zlib stream failed");
        failed = false;
        const availOut = state[0];
        const availIn = state[1];
        if (availIn !== 0 || availOut === 0) return undefined; // not finished within the buffer
        const n = OUT_BYTES - availOut;
        const out = Buffer.allocUnsafe(reserve + n);
        buffer.copy(out, reserve, 0, n);
        return out;
      } finally {
        if (!failed) handle.reset(); // a fresh stream with the dictionary set, for the next input
      }
    };
    if (checks.every(({ input, output }) => engine(input, 0)?.equals(output))) return engine;
    stream.close();
    return undefined;
  } catch {
    return undefined;
  }
}
