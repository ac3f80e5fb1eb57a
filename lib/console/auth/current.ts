// The console's door: resolves the next-auth session of the current request
// to a Principal. Server actions, route handlers and pages call this, then
// pass the Principal to the service layer, which does the authorization.
import "server-only";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { UnauthenticatedException } from "@/lib/errors";
import { authOptions } from "./options";
import type { Principal } from "@/lib/auth/principal";
import { isSessionClaims, principalFromClaims } from "@/lib/auth/session";

export async function currentPrincipal(): Promise<Principal | null> {
  const session = await getServerSession(authOptions());
  if (!isSessionClaims(session)) return null;
  const h = await headers();
  const check = await principalFromClaims(session, {
    sourceIp: h.get("x-keyhold-client-ip") ?? undefined,
    userAgent: h.get("user-agent") ?? undefined,
    secureTransport: h.get("x-keyhold-secure-transport") === "true",
  });
  return check.ok ? check.principal : null;
}

export async function requirePrincipal(): Promise<Principal> {
  const principal = await currentPrincipal();
  if (!principal) throw new UnauthenticatedException("Your session has ended. Sign in again.");
  return principal;
}
