import type { ZlibOptions } from "node:zlib";

export type ReusedTransform = ((input: Buffer, reserve?: number) => Buffer) & {
  /** Whether the reused stream is in use (false: every call goes to the one-shot zlib function). */
  readonly reusing: boolean;
};
/**
 * `deflateRawSync(input, options)` through one reused zlib stream: a raw DEFLATE stream of `input` (rarely
 * not byte-identical to deflateRawSync's, see reused-zlib.mjs) after `reserve` bytes left to the caller.
 * `samples`: typical inputs the stream is checked on when it opens.
 */
export declare function reusedDeflateRaw(options: ZlibOptions, samples: readonly string[]): ReusedTransform;
/** `inflateRawSync(input, options)` through one reused zlib stream (the same result or error); `samples` as for reusedDeflateRaw. */
export declare function reusedInflateRaw(options: ZlibOptions, samples: readonly string[]): ReusedTransform;
