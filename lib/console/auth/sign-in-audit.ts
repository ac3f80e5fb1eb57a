// The audit records of console sign-in (CloudTrail's signin.amazonaws.com
// events) and the session a successful sign-in gets. Codes, passwords and
// handles never appear in them.
import { writeAuditEvent } from "@/lib/audit";
import type { User } from "@/lib/db/client";
import { accountId } from "@/lib/settings/account";
import { createConsoleSession, type SignInMethod } from "@/lib/auth/console-sessions";
import { userPrincipal } from "@/lib/auth/principal";

export interface RequestFacts {
  sourceIp?: string;
  userAgent?: string;
}

export function requestFacts(req: { headers?: unknown } | undefined): RequestFacts {
  const headers = (req?.headers ?? {}) as Record<string, string | undefined>;
  return { sourceIp: headers["x-keyhold-client-ip"], userAgent: headers["user-agent"] };
}

export const signInEvent = (where: RequestFacts, eventName = "ConsoleLogin") => ({
  eventSource: "signin.amazonaws.com",
  eventName,
  eventType: "AwsConsoleSignIn" as const,
  via: "console" as const,
  readOnly: false,
  ...where,
});

/** What next-auth's authorize returns: the jwt callback copies it into the cookie's claims. */
export interface SignedInUser {
  id: string;
  name: string;
  epoch: number;
  sid: string;
}

/**
 * Records the successful sign-in (fail closed: no session unless it is on
 * record) and creates the session record the cookie will carry.
 */
export async function completeSignIn(user: User, where: RequestFacts, method: SignInMethod, details: Record<string, string> = {}): Promise<SignedInUser> {
  await writeAuditEvent({
    ...signInEvent(where),
    caller: userPrincipal(await accountId(), user, where),
    response: { ConsoleLogin: "Success", MFAUsed: method === "mfa" ? "Yes" : "No", ...details },
  });
  const sid = await createConsoleSession(user, { ...where, method, stepUp: method === "mfa" });
  return { id: user.id, name: user.username, epoch: user.sessionEpoch, sid };
}
