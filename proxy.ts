// Next 16 "proxy" (formerly middleware). Two jobs:
// - every page gets a Content-Security-Policy with a fresh script nonce
//   (passed on the request too, so Next.js and the root layout use it);
// - signed-out visitors of console pages go to /login. Only a first filter:
//   every page, action and route handler re-checks the session in the
//   service layer (lib/console/auth/current.ts).
import { withAuth, type NextRequestWithAuth } from "next-auth/middleware";
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { contentSecurityPolicy, newNonce } from "@/lib/http/content-security-policy";

function withSecurityPolicy(req: NextRequest): NextResponse {
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development" });
  const headers = new Headers(req.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("Content-Security-Policy", csp);
  return res;
}

const signedInOnly = withAuth((req) => withSecurityPolicy(req), { pages: { signIn: "/login" } });

/** Pages anyone may open (the sign-in page) and route handlers, which check the session themselves. */
const PUBLIC = /^\/(login|api)(\/|$)/;

export default function proxy(req: NextRequest, event: NextFetchEvent) {
  if (PUBLIC.test(req.nextUrl.pathname)) return withSecurityPolicy(req);
  return signedInOnly(req as NextRequestWithAuth, event);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|healthz|readyz).*)"],
};
