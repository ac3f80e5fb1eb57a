// Where to go after sign-in: only a path on this origin, never an open
// redirect. Pure (no server imports): the login form and next-auth's
// redirect callback both use it, so they cannot disagree.

const FALLBACK = "/";
// Parsed against a placeholder origin: anything that resolves elsewhere is refused.
const PLACEHOLDER = "http://keyhold.invalid";

/** Browsers drop tabs and newlines inside URLs and read "\" as "/": "/\t/evil" and "/\evil" are "//evil". */
const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\u007f\\]/;

function looksDangerous(s: string): boolean {
  return !s.startsWith("/") || s.startsWith("//") || CONTROL_OR_BACKSLASH.test(s);
}

/**
 * The same-origin path (with query and fragment) `raw` names, or "/" for
 * anything else: absolute URLs, protocol-relative "//host", "/\host",
 * control characters, `javascript:` and the like. Also refused when one
 * more round of percent-decoding would reveal such a shape (a hop through
 * something that decodes again must not turn it into a redirect).
 */
export function safeCallbackPath(raw: unknown): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2048) return FALLBACK;
  if (looksDangerous(raw)) return FALLBACK;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return FALLBACK;
  }
  if (looksDangerous(decoded)) return FALLBACK;
  let url: URL;
  try {
    url = new URL(raw, PLACEHOLDER);
  } catch {
    return FALLBACK;
  }
  if (url.origin !== PLACEHOLDER) return FALLBACK;
  // What is returned is what was checked: the parser's own reading of it.
  const path = `${url.pathname}${url.search}${url.hash}`;
  return looksDangerous(path) ? FALLBACK : path;
}

/** next-auth's redirect callback: same-origin absolute URLs are reduced to their path first. */
export function safeRedirectUrl(url: string, baseUrl: string): string {
  let candidate: unknown = url;
  try {
    const absolute = new URL(url);
    candidate = absolute.origin === baseUrl ? `${absolute.pathname}${absolute.search}${absolute.hash}` : undefined;
  } catch {
    // Not absolute: a path (or garbage), judged as is.
  }
  return `${baseUrl}${safeCallbackPath(candidate)}`;
}
