// Text that PostgreSQL and the audit trail can hold: no NUL characters (a
// text column refuses them, and jsonb refuses the "\u0000" escape) and no
// lone UTF-16 surrogates (not Unicode: jsonb refuses them, and UTF-8 would
// turn them into U+FFFD). Such input is refused at every door with
// ValidationException, before anything is stored or searched.
import { ValidationException } from "./index";
import { messages } from "./messages";

/** Whether a string is free of NUL and lone surrogates. */
export function isSafeText(s: string): boolean {
  return !s.includes("\u0000") && s.isWellFormed();
}

/** A readable, storable form of any string: NUL and lone surrogates become visible \uXXXX escapes. */
export function escapeUnsafeText(s: string): string {
  if (isSafeText(s)) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const high = c >= 0xd800 && c <= 0xdbff;
    const low = c >= 0xdc00 && c <= 0xdfff;
    const next = s.charCodeAt(i + 1);
    if (high && next >= 0xdc00 && next <= 0xdfff) {
      out += s[i]! + s[i + 1]!; // a proper pair
      i++;
    } else if (c === 0 || high || low) {
      out += `\\u${c.toString(16).padStart(4, "0")}`;
    } else {
      out += s[i]!;
    }
  }
  return out;
}

/** The path of the first unsafe string (value or object key) in a value, or undefined. */
export function findUnsafeText(value: unknown, path = "", depth = 0): string | undefined {
  if (typeof value === "string") return isSafeText(value) ? undefined : path || "value";
  if (value === null || typeof value !== "object" || depth > 32 || ArrayBuffer.isView(value)) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findUnsafeText(value[i], `${path}[${i}]`, depth + 1);
      if (bad) return bad;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    if (!isSafeText(k)) return path ? `${path} (a key)` : "a key";
    const bad = findUnsafeText(v, path ? `${path}.${k}` : k, depth + 1);
    if (bad) return bad;
  }
  return undefined;
}

/** Throws ValidationException when any string in `value` (or any object key) is unsafe. */
export function assertSafeText(value: unknown): void {
  const bad = findUnsafeText(value);
  if (bad) throw new ValidationException(messages.unsafeText(bad));
}
