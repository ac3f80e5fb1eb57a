// Drives the console's real next-auth handler (the one app/api/auth/[...nextauth]
// serves, and the one getServerSession runs) with Web Requests: sign-in with
// the credentials provider, session reads, sign-out. No Next.js server needed.
import { createRequire } from "node:module";
import { join } from "node:path";
import { authOptions } from "@/lib/console/auth/options";

interface InternalCookie {
  name: string;
  value: string;
  options?: { maxAge?: number; expires?: Date };
}
interface InternalResponse {
  status?: number;
  body?: unknown;
  redirect?: string;
  cookies?: InternalCookie[];
}
type AuthHandler = (params: { req: Request; options: ReturnType<typeof authOptions> }) => Promise<InternalResponse>;

// next-auth does not export its core; load it by path (as next-auth/next does).
const { AuthHandler } = createRequire(import.meta.url)(join(process.cwd(), "node_modules/next-auth/core/index.js")) as { AuthHandler: AuthHandler };

export const ORIGIN = "http://localhost:3000";
export const SESSION_COOKIE = "next-auth.session-token";
const CSRF_COOKIE = "next-auth.csrf-token";

export function useTestAuthEnvironment(): void {
  process.env.NEXTAUTH_URL ??= ORIGIN;
  process.env.NEXTAUTH_SECRET ??= "keyhold test nextauth secret (not a real one)";
}

const cookieHeader = (cookies: Record<string, string>) =>
  Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");

async function handle(path: string, init: { method?: string; cookies?: Record<string, string>; form?: Record<string, string>; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { host: "localhost:3000", ...init.headers };
  if (init.cookies) headers.cookie = cookieHeader(init.cookies);
  if (init.form) headers["content-type"] = "application/json";
  const req = new Request(`${ORIGIN}/api/auth/${path}`, {
    method: init.method ?? "GET",
    headers,
    // AuthHandler reads a Request's body as JSON (next-auth/next hands it the parsed form).
    body: init.form ? JSON.stringify(init.form) : undefined,
  });
  return AuthHandler({ req, options: authOptions() });
}

const cookieOf = (res: InternalResponse, name: string) => res.cookies?.find((c) => c.name === name);

async function csrf(): Promise<{ token: string; cookie: string }> {
  const res = await handle("csrf");
  const cookie = cookieOf(res, CSRF_COOKIE);
  if (!cookie) throw new Error("next-auth set no CSRF cookie");
  return { token: (res.body as { csrfToken: string }).csrfToken, cookie: cookie.value };
}

/** Signs in through the credentials provider; the session token on success, the error next-auth redirects with otherwise. */
export async function consoleSignIn(
  username: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<{ sessionToken?: string; error?: string }> {
  const c = await csrf();
  const res = await handle("callback/credentials", {
    method: "POST",
    cookies: { [CSRF_COOKIE]: c.cookie },
    form: { csrfToken: c.token, username, password, callbackUrl: ORIGIN },
    headers,
  });
  const session = cookieOf(res, SESSION_COOKIE);
  if (session?.value) return { sessionToken: session.value };
  const error = res.redirect ? new URL(res.redirect).searchParams.get("error") : null;
  return { error: error ?? `no session (status ${res.status}, redirect ${res.redirect})` };
}

/** The second sign-in step (the "mfa" provider) with the handle the password step answered with. */
export async function consoleSecondFactor(
  mfaToken: string,
  proof: { method: "totp" | "recovery"; code: string } | { method: "webauthn"; assertion: string },
): Promise<{ sessionToken?: string; error?: string }> {
  const c = await csrf();
  const res = await handle("callback/mfa", {
    method: "POST",
    cookies: { [CSRF_COOKIE]: c.cookie },
    form: { csrfToken: c.token, mfaToken, ...proof, callbackUrl: ORIGIN },
  });
  const session = cookieOf(res, SESSION_COOKIE);
  if (session?.value) return { sessionToken: session.value };
  const error = res.redirect ? new URL(res.redirect).searchParams.get("error") : null;
  return { error: error ?? `no session (status ${res.status}, redirect ${res.redirect})` };
}

/**
 * Reads the session as every console request does: the claims if the token
 * is still valid, and the token re-issued with a fresh idle expiry.
 */
export async function consoleSession(sessionToken: string): Promise<{ claims?: Record<string, unknown>; renewedToken?: string }> {
  const res = await handle("session", { cookies: { [SESSION_COOKIE]: sessionToken } });
  const body = (res.body ?? {}) as Record<string, unknown>;
  const renewed = cookieOf(res, SESSION_COOKIE);
  return {
    claims: "uid" in body ? body : undefined,
    renewedToken: renewed?.value && (renewed.options?.maxAge ?? 1) > 0 ? renewed.value : undefined,
  };
}

export async function consoleSignOut(sessionToken: string): Promise<void> {
  const c = await csrf();
  const res = await handle("signout", {
    method: "POST",
    cookies: { [CSRF_COOKIE]: c.cookie, [SESSION_COOKIE]: sessionToken },
    form: { csrfToken: c.token, callbackUrl: ORIGIN },
  });
  if (!res.redirect) throw new Error(`sign-out did not complete (status ${res.status})`);
}
