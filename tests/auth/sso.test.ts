// Single sign-on's Keyhold side: the role map, first sign-in creating the
// linked user, the IdP's role change reaching Keyhold (and ending sessions),
// refusals (no mapped group, a local account's name, disabled) recorded.
// The whole flow through a real OpenID provider in Chromium: e2e/sso.spec.ts.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { authOptions } from "@/lib/console/auth/options";
import { oidcSettings, parseRoleMap, roleFromClaims } from "@/lib/auth/sso";
import { completeSsoSignIn, oidcProvider } from "@/lib/console/auth/sso-sign-in";
import { ssoRefusalMessage } from "@/lib/auth/sso-refusals";
import { prisma } from "@/lib/db/client";
import { makeUser } from "../helpers";
import { auditEvents } from "../support/audit-rows";

const settings = {
  issuer: "https://idp.example.test",
  clientId: "keyhold",
  clientSecret: "unused here",
  rules: parseRoleMap("groups:kms-admins=Administrator, groups:kms-users=key-user, department:audit=Auditor"),
};

describe("role map", () => {
  it("parses rules and takes the first that matches a string or list claim", () => {
    expect(settings.rules).toEqual([
      { claim: "groups", value: "kms-admins", role: "ADMINISTRATOR" },
      { claim: "groups", value: "kms-users", role: "KEY_USER" },
      { claim: "department", value: "audit", role: "AUDITOR" },
    ]);
    expect(roleFromClaims({ groups: ["staff", "kms-users", "kms-admins"] }, settings.rules)).toBe("ADMINISTRATOR");
    expect(roleFromClaims({ department: "audit" }, settings.rules)).toBe("AUDITOR");
    expect(roleFromClaims({ groups: ["staff"] }, settings.rules)).toBeNull();
    expect(() => parseRoleMap("groups:x=Superuser")).toThrow(/not claim:value=Role/);
  });

  it("is off without an issuer and refuses an issuer without client credentials", () => {
    expect(oidcSettings({})).toBeNull();
    expect(() => oidcSettings({ KEYHOLD_OIDC_ISSUER: "https://idp.example.test" })).toThrow(/CLIENT_ID/);
  });
});

describe("SSO sign-in", () => {
  it("creates the linked user on first sign-in and follows the IdP's role after", async () => {
    const sub = randomUUID();
    const name = `sso-${sub.slice(0, 8)}`;
    const first = await completeSsoSignIn(settings, { sub, preferred_username: name, groups: ["kms-users"] });
    const user = await prisma.user.findUniqueOrThrow({ where: { id: first.id } });
    expect(user).toMatchObject({ username: name, role: "KEY_USER", ssoSubject: `${settings.issuer} ${sub}` });
    expect(await prisma.consoleSession.findUnique({ where: { id: first.sid } })).toMatchObject({ method: "sso", userId: user.id });
    const again = await completeSsoSignIn(settings, { sub, preferred_username: name, groups: ["kms-admins"] });
    expect(again.id).toBe(user.id);
    expect(again.epoch).toBe(user.sessionEpoch + 1); // a role change ends the earlier sessions
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("ADMINISTRATOR");
  });

  it("refuses, and records, an account without a mapped group or with a local account's name", async () => {
    const sub = randomUUID();
    await expect(completeSsoSignIn(settings, { sub, preferred_username: `nobody-${sub.slice(0, 8)}`, groups: ["staff"] })).rejects.toThrow(/no Keyhold role/);
    const local = await makeUser("ADMINISTRATOR");
    await expect(completeSsoSignIn(settings, { sub: randomUUID(), preferred_username: local.user.username, groups: ["kms-admins"] })).rejects.toThrow(/not taken over/);
    const refused = await auditEvents({ where: { eventName: "ConsoleLogin", errorCode: "AuthenticationFailed" } }, settings.issuer);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: local.user.id } })).ssoSubject).toBeNull();
  });

  it("a refusal sends the browser back to the sign-in page with its reason, and no session", async () => {
    const profile = (claims: Record<string, unknown>) => oidcProvider(settings).profile!(claims, {} as never);
    const sub = randomUUID();
    const refused = await profile({ sub, preferred_username: `nobody-${sub.slice(0, 8)}`, groups: ["staff"] });
    expect(refused).toEqual({ id: "sso-refused", refused: "no-role" });
    const local = await makeUser("AUDITOR");
    expect(await profile({ sub: randomUUID(), preferred_username: local.user.username, groups: ["kms-admins"] })).toMatchObject({ refused: "local-user" });
    const signIn = authOptions().callbacks!.signIn!;
    expect(await signIn({ user: refused as never, account: null })).toBe("/login?error=SsoRefused&reason=no-role");
    expect(ssoRefusalMessage("no-role")).toContain("in no group that gives a Keyhold role");
    expect(ssoRefusalMessage("<script>")).toBe(ssoRefusalMessage("failed")); // only known codes have words
    // An account that is let in is not stopped here.
    const admitted = await profile({ sub: randomUUID(), preferred_username: `admin-${sub.slice(0, 8)}`, groups: ["kms-admins"] });
    expect(admitted).not.toHaveProperty("refused");
    expect(await signIn({ user: admitted as never, account: null })).toBe(true);
  });
});
