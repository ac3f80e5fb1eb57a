import type { ZlibOptions } from "node:zlib";
/**
 * A compressor equivalent to `deflateRawSync(input, options)` that keeps one zlib stream; the result
 * starts with `reserve` bytes left for the caller. `samples`: typical inputs it must reproduce first.
 */
export declare function reusedDeflateRaw(options: ZlibOptions, samples: readonly string[]): ((input: Buffer, reserve?: number) => Buffer) & {
  /** Whether the reused stream is in use (false: every call goes to deflateRawSync). */
  readonly reusing: boolean;
};
