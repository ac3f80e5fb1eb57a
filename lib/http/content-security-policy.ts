// The console's Content-Security-Policy: scripts only with the per-request
// nonce (Next.js puts it on its own scripts when the proxy passes the policy
// on the request), 'strict-dynamic' for the chunks those scripts load, and
// nothing framed, embedded, based or posted elsewhere. Pure: no Next imports.

/** A fresh nonce per response: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy(nonce: string, options: { dev?: boolean } = {}): string {
  // React's development build evaluates code for its call stacks; production never needs eval.
  const scripts = ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(options.dev ? ["'unsafe-eval'"] : [])];
  return [
    "default-src 'self'",
    `script-src ${scripts.join(" ")}`,
    // React style props and CodeMirror's injected style sheets are inline styles.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
