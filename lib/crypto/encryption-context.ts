// Canonical bytes of an AWS encryption context, used as (part of) GCM AAD. The context is an
// unordered string→string map, so the encoding sorts pairs by the UTF-8 bytes of the key and
// length-prefixes every field: distinct maps can never encode to the same bytes.
import { CryptoError } from "./errors";
import { lengthPrefixed, u32be } from "./bytes";

export type EncryptionContext = Readonly<Record<string, string>>;

function utf8(s: unknown, what: string): Buffer {
  // Lone surrogates would be replaced by U+FFFD and collide with a real U+FFFD; reject them.
  if (typeof s !== "string" || !s.isWellFormed()) {
    throw new CryptoError("InvalidInput", `encryption context ${what} must be a well-formed string`);
  }
  return Buffer.from(s, "utf8");
}

/**
 * uint32 pair count || for each pair sorted by key bytes: len||key || len||value.
 * `undefined` and `{}` encode identically (AWS treats them the same).
 */
export function encodeEncryptionContext(context?: EncryptionContext | null): Buffer {
  if (context === undefined || context === null) return u32be(0);
  if (typeof context !== "object" || Array.isArray(context)) {
    throw new CryptoError("InvalidInput", "encryption context must be an object of strings");
  }
  const pairs = Object.keys(context).map((k) => [utf8(k, "key"), utf8(context[k], "value")] as const);
  pairs.sort((a, b) => Buffer.compare(a[0], b[0]));
  return Buffer.concat([u32be(pairs.length), ...pairs.flatMap(([k, v]) => [lengthPrefixed(k), lengthPrefixed(v)])]);
}
