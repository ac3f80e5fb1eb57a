// Console sessions are JWT cookies: deleting one in the browser does not
// stop a copy. These drive the real next-auth handler and check that a
// cookie copied before sign-out, disable, a role change or a password change
// is refused afterwards, both by next-auth and when resolved to a Principal.
import { beforeAll, describe, expect, it } from "vitest";
import { changeOwnPassword, setUserDisabled, setUserRole } from "@/lib/accounts/users";
import { createCustomRole, setUserCustomRole } from "@/lib/accounts/custom-roles";
import { principalFromClaims, type SessionClaims } from "@/lib/auth/session";
import { makeUser, operator } from "../helpers";
import { recordSecret } from "../secret-registry";
import { consoleSession, consoleSignIn, consoleSignOut, useTestAuthEnvironment } from "./console-session";

beforeAll(() => {
  useTestAuthEnvironment();
});

/** Signs in and returns the cookie value plus its claims (as a copy an attacker would hold). */
async function signedIn(role: "KEY_USER" | "AUDITOR" = "KEY_USER") {
  const made = await makeUser(role);
  const { sessionToken, error } = await consoleSignIn(made.user.username, made.password);
  expect(error).toBeUndefined();
  const { claims } = await consoleSession(sessionToken!);
  expect(claims).toMatchObject({ uid: made.user.id });
  return { ...made, copiedCookie: sessionToken!, claims: claims as unknown as SessionClaims };
}

async function expectRefused(copiedCookie: string, claims: SessionClaims) {
  expect((await consoleSession(copiedCookie)).claims).toBeUndefined();
  expect((await principalFromClaims(claims)).ok).toBe(false);
}

describe("session revocation", () => {
  it("sign-out ends the session: a copy of the cookie is refused afterwards", async () => {
    const { copiedCookie, claims } = await signedIn();
    await consoleSignOut(copiedCookie);
    await expectRefused(copiedCookie, claims);
  });

  it("a stale cookie cannot sign the user out of a newer session", async () => {
    const { user, password, copiedCookie } = await signedIn();
    await consoleSignOut(copiedCookie);
    const again = await consoleSignIn(user.username, password);
    await consoleSignOut(copiedCookie);
    expect((await consoleSession(again.sessionToken!)).claims).toMatchObject({ uid: user.id });
  });

  it("disabling the user ends the session", async () => {
    const { user, copiedCookie, claims } = await signedIn();
    await setUserDisabled(await operator(), { userId: user.id, disabled: true });
    await expectRefused(copiedCookie, claims);
  });

  it("a role change ends the session", async () => {
    const { user, copiedCookie, claims } = await signedIn("KEY_USER");
    await setUserRole(await operator(), { userId: user.id, role: "AUDITOR" });
    await expectRefused(copiedCookie, claims);
  });

  it("a custom role assignment ends the session", async () => {
    const { user, copiedCookie, claims } = await signedIn("KEY_USER");
    const role = await createCustomRole(await operator(), {
      name: `revoke-${user.id.slice(0, 8)}`,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:ListKeys", Resource: "*" }] }),
    });
    await setUserCustomRole(await operator(), { userId: user.id, customRoleId: role.id });
    await expectRefused(copiedCookie, claims);
  });

  it("a password change ends the session", async () => {
    const { principal, password, copiedCookie, claims } = await signedIn();
    recordSecret("revocation test new password", "session revocation new password");
    await changeOwnPassword(principal, { currentPassword: password, newPassword: "revocation test new password" });
    await expectRefused(copiedCookie, claims);
  });
});
