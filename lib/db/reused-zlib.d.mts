import type { ZlibOptions } from "node:zlib";

export type ReusedTransform = ((input: Buffer, reserve?: number) => Buffer) & {
  /** Whether the reused stream is in use (false: every call goes to the one-shot zlib function). */
  readonly reusing: boolean;
};
/**
 * `deflateRawSync(input, options)` through one reused zlib stream; the result starts with `reserve` bytes
 * left to the caller. `samples`: typical inputs it must reproduce deflateRawSync's output for first.
 */
export declare function reusedDeflateRaw(options: ZlibOptions, samples: readonly string[]): ReusedTransform;
/** `inflateRawSync(input, options)` through one reused zlib stream; `samples` as for reusedDeflateRaw. */
export declare function reusedInflateRaw(options: ZlibOptions, samples: readonly string[]): ReusedTransform;
