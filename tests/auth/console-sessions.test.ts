// Server-side session records: a user sees and ends their own sessions, an
// administrator anyone's; an ended session's cookie (and every copy) is
// refused at once while the user's other sessions keep working.
import { beforeAll, describe, expect, it } from "vitest";
import { endSession, listSessions } from "@/lib/accounts/sessions";
import { principalFromClaims, type SessionClaims } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { makeUser } from "../helpers";
import { consoleSession, consoleSignIn, useTestAuthEnvironment } from "./console-session";

beforeAll(() => {
  useTestAuthEnvironment();
});

async function signIn(username: string, password: string, userAgent: string) {
  const { sessionToken } = await consoleSignIn(username, password, { "user-agent": userAgent, "x-keyhold-client-ip": "198.51.100.7" });
  const { claims } = await consoleSession(sessionToken!);
  const check = await principalFromClaims(claims as unknown as SessionClaims);
  if (!check.ok) throw new Error(check.reason);
  return { cookie: sessionToken!, claims: claims as unknown as SessionClaims, principal: check.principal };
}

describe("console sessions", () => {
  it("a user lists their sessions (where, which browser, which is this one) and ends another", async () => {
    const { user, password } = await makeUser("KEY_USER");
    const laptop = await signIn(user.username, password, "Laptop browser");
    const phone = await signIn(user.username, password, "Phone browser");
    const listed = await listSessions(laptop.principal);
    expect(listed.map((s) => [s.userAgent, s.sourceIp, s.current])).toEqual([
      ["Phone browser", "198.51.100.7", false],
      ["Laptop browser", "198.51.100.7", true],
    ]);
    await endSession(laptop.principal, { sessionId: phone.claims.sid });
    expect((await consoleSession(phone.cookie)).claims).toBeUndefined();
    expect((await principalFromClaims(phone.claims)).ok).toBe(false);
    expect((await consoleSession(laptop.cookie)).claims).toMatchObject({ uid: user.id });
    expect((await listSessions(laptop.principal)).map((s) => s.id)).toEqual([laptop.claims.sid]);
    const ended = await prisma.auditEvent.findFirst({ where: { eventName: "EndSession", principalArn: laptop.principal.arn } });
    expect(ended?.errorCode).toBeNull();
  });

  it("another user's session is invisible to a non-administrator; an administrator sees and ends it", async () => {
    const victim = await makeUser("AUDITOR");
    const session = await signIn(victim.user.username, victim.password, "Victim browser");
    const other = await makeUser("KEY_USER");
    await expect(listSessions(other.principal, { userId: victim.user.id })).rejects.toMatchObject({ name: "AccessDeniedException" });
    await expect(endSession(other.principal, { sessionId: session.claims.sid })).rejects.toMatchObject({ name: "NotFoundException" });
    expect((await consoleSession(session.cookie)).claims).toBeDefined();
    const admin = await makeUser("ADMINISTRATOR");
    expect((await listSessions(admin.principal, { userId: victim.user.id })).map((s) => s.userAgent)).toEqual(["Victim browser"]);
    await endSession(admin.principal, { sessionId: session.claims.sid });
    expect((await consoleSession(session.cookie)).claims).toBeUndefined();
    const denied = await prisma.auditEvent.findFirst({ where: { eventName: "ListSessions", principalArn: other.principal.arn } });
    expect(denied?.errorCode).toBe("AccessDeniedException");
  });

  it("a moved session epoch (password, role, disable, MFA reset) ends every session of the user", async () => {
    const { user, password } = await makeUser("KEY_USER");
    const a = await signIn(user.username, password, "A");
    const b = await signIn(user.username, password, "B");
    await prisma.user.update({ where: { id: user.id }, data: { sessionEpoch: { increment: 1 } } });
    expect((await consoleSession(a.cookie)).claims).toBeUndefined();
    expect((await consoleSession(b.cookie)).claims).toBeUndefined();
    expect(await listSessions(a.principal).catch(() => [])).toEqual([]);
  });
});
