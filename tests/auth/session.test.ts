import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { changeOwnPassword, setUserDisabled } from "@/lib/accounts/users";
import { authOptions } from "@/lib/console/auth/options";
import { principalFromClaims, type SessionClaims } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { makeUser, operator } from "../helpers";
import { recordSecret } from "../secret-registry";
import { consoleSession, consoleSignIn, useTestAuthEnvironment } from "./console-session";

const now = () => Math.floor(Date.now() / 1000);

describe("session checks", () => {
  it("resolves valid claims to a principal with the user's ARN", async () => {
    const { user } = await makeUser("AUDITOR");
    const check = await principalFromClaims({ uid: user.id, epoch: 0, authTime: now() }, { maxSeconds: 3600 });
    expect(check.ok).toBe(true);
    if (check.ok) {
      expect(check.principal.arn).toMatch(new RegExp(`^arn:aws:iam::\\d{12}:user/${user.username}$`));
      expect(check.principal.role).toBe("AUDITOR");
    }
  });

  it("ends a session past its absolute lifetime", async () => {
    const { user } = await makeUser("AUDITOR");
    const check = await principalFromClaims({ uid: user.id, epoch: 0, authTime: now() - 3601 }, { maxSeconds: 3600 });
    expect(check).toEqual({ ok: false, reason: "session expired" });
  });

  it("ends sessions when the password changes", async () => {
    const { user, principal, password } = await makeUser("KEY_USER");
    const claims = { uid: user.id, epoch: user.sessionEpoch, authTime: now() };
    recordSecret("a brand new password", "session test new password");
    await changeOwnPassword(principal, { currentPassword: password, newPassword: "a brand new password" });
    expect(await principalFromClaims(claims, { maxSeconds: 3600 })).toMatchObject({ ok: false });
  });

  it("ends sessions when the user is disabled", async () => {
    const { user } = await makeUser("KEY_USER");
    const claims = { uid: user.id, epoch: user.sessionEpoch, authTime: now() };
    await setUserDisabled(await operator(), { userId: user.id, disabled: true });
    expect(await principalFromClaims(claims, { maxSeconds: 3600 })).toEqual({ ok: false, reason: "user is disabled" });
  });
});

describe("idle timeout (30 minutes without a request)", () => {
  // The console's session is next-auth's JWT, issued with the idle limit as
  // its expiry and re-issued on every request (session.maxAge = idle,
  // updateAge 0): driven here through the real handler with the clock moved.
  const minutes = (n: number) => n * 60_000;
  let start: number;
  beforeAll(() => {
    useTestAuthEnvironment();
    expect(config().sessionIdleSeconds).toBe(30 * 60);
    expect(authOptions().session).toMatchObject({ strategy: "jwt", maxAge: 30 * 60, updateAge: 0 });
    start = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now: start });
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  it("accepts a session used 29 minutes ago, renews it on use, and refuses one idle for 31 minutes", async () => {
    const { user, password } = await makeUser("KEY_USER", { password: "idle timeout password" });
    vi.setSystemTime(start);
    const { sessionToken, error } = await consoleSignIn(user.username, password);
    expect(error).toBeUndefined();
    expect(sessionToken).toBeTruthy();

    // 29 minutes idle: still signed in; the claims resolve to the user.
    vi.setSystemTime(start + minutes(29));
    const at29 = await consoleSession(sessionToken!);
    expect(at29.claims).toMatchObject({ uid: user.id, epoch: user.sessionEpoch });
    const check = await principalFromClaims(at29.claims as unknown as SessionClaims);
    expect(check.ok).toBe(true);
    // The request re-issued the token with a fresh idle window.
    expect(at29.renewedToken).toBeTruthy();

    // 31 minutes after sign-in with no request since: refused.
    vi.setSystemTime(start + minutes(31));
    const idle = await consoleSession(sessionToken!);
    expect(idle.claims).toBeUndefined();

    // The renewed token, used 29 minutes later (58 after sign-in), is accepted...
    vi.setSystemTime(start + minutes(29 + 29));
    const renewedUse = await consoleSession(at29.renewedToken!);
    expect(renewedUse.claims).toMatchObject({ uid: user.id });
    // ...and once idle for 31 minutes after its last use, refused too.
    vi.setSystemTime(start + minutes(29 + 29 + 31));
    expect((await consoleSession(renewedUse.renewedToken!)).claims).toBeUndefined();
  });

  it("refuses a token idle for 31 minutes after its last use, within the absolute lifetime", async () => {
    const { user, password } = await makeUser("AUDITOR", { password: "second idle password" });
    vi.setSystemTime(start + minutes(120));
    const { sessionToken } = await consoleSignIn(user.username, password);
    expect(sessionToken).toBeTruthy();
    vi.setSystemTime(start + minutes(120 + 29));
    expect((await consoleSession(sessionToken!)).claims).toMatchObject({ uid: user.id });
    vi.setSystemTime(start + minutes(120 + 29 + 31));
    expect((await consoleSession(sessionToken!)).claims).toBeUndefined();
    // The absolute limit alone would still have allowed it.
    const claims = { uid: user.id, epoch: user.sessionEpoch, authTime: Math.floor((start + minutes(120)) / 1000) };
    expect(Math.round((Date.now() / 1000 - claims.authTime) / 60)).toBe(60);
    expect((await principalFromClaims(claims)).ok).toBe(true);
  });
});
