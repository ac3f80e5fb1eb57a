// MFA end to end through the real next-auth handler and the service layer:
// TOTP enrolment with codes computed by otplib, the second sign-in step
// (TOTP, recovery codes), single-use handles, replay, lockout counting
// second factors, step-up, role requirements and the administrator's reset.
import { generate } from "otplib";
import { beforeAll, describe, expect, it } from "vitest";
import { beginTotpEnrolment, confirmTotpEnrolment, getMyMfa, regenerateRecoveryCodes, removeMyFactor } from "@/lib/accounts/mfa-factors";
import { getMfaPolicy, resetUserMfa, setMfaPolicy } from "@/lib/accounts/mfa-admin";
import { requireStepUpFor, requireStepUpForAccessKey, stepUp, STEP_UP_REQUIRED } from "@/lib/accounts/step-up";
import { listUsers } from "@/lib/accounts/users";
import { principalFromClaims, type SessionClaims } from "@/lib/auth/session";
import { MFA_REQUIRED_PREFIX } from "@/lib/console/auth/options";
import { prisma, type Role } from "@/lib/db/client";
import { makeUser, operator } from "../helpers";
import { recordSecret } from "../secret-registry";
import { consoleSecondFactor, consoleSession, consoleSignIn, useTestAuthEnvironment } from "./console-session";
import { auditEvents } from "../support/audit-rows";

beforeAll(() => {
  useTestAuthEnvironment();
});

const now = () => Math.floor(Date.now() / 1000);
/** The code an authenticator shows `offset` seconds from now. */
const codeAt = (secret: string, offset = 0) => generate({ secret, epoch: now() + offset });

/** A user with a confirmed authenticator; returns its secret and recovery codes. */
async function userWithTotp(role: Role = "KEY_USER") {
  const made = await makeUser(role);
  const begun = await beginTotpEnrolment(made.principal, { name: "phone" });
  recordSecret(begun.secret, "TOTP secret");
  recordSecret(begun.uri, "TOTP URI");
  const wrong = String((Number(await codeAt(begun.secret)) + 1) % 1_000_000).padStart(6, "0");
  await expect(confirmTotpEnrolment(made.principal, { factorId: begun.factorId, code: wrong })).rejects.toMatchObject({ name: "ValidationException" });
  const confirmed = await confirmTotpEnrolment(made.principal, { factorId: begun.factorId, code: await codeAt(begun.secret) });
  for (const c of confirmed.recoveryCodes ?? []) recordSecret(c, "recovery code");
  return { ...made, secret: begun.secret, factorId: begun.factorId, recoveryCodes: confirmed.recoveryCodes! };
}

async function passwordStep(username: string, password: string): Promise<string> {
  const first = await consoleSignIn(username, password);
  expect(first.sessionToken).toBeUndefined();
  expect(first.error?.startsWith(MFA_REQUIRED_PREFIX)).toBe(true);
  return first.error!.slice(MFA_REQUIRED_PREFIX.length);
}

async function claimsOf(sessionToken: string): Promise<SessionClaims> {
  const { claims } = await consoleSession(sessionToken);
  expect(claims).toBeDefined();
  return claims as unknown as SessionClaims;
}

describe("TOTP enrolment", () => {
  it("stores the secret only wrapped, recovery codes only hashed, and records neither", async () => {
    const { user, secret, recoveryCodes, principal } = await userWithTotp();
    expect(recoveryCodes).toHaveLength(10);
    const factor = await prisma.mfaFactor.findFirstOrThrow({ where: { userId: user.id } });
    expect(factor.confirmed).toBe(true);
    expect(Buffer.from(factor.secretWrapped!).includes(Buffer.from(secret))).toBe(false);
    const hashes = await prisma.recoveryCode.findMany({ where: { userId: user.id } });
    expect(hashes.map((h) => h.codeHash)).not.toContain(recoveryCodes[0]);
    const events = await auditEvents({ where: { principalArn: principal.arn } });
    expect(events.map((e) => e.eventName)).toEqual(expect.arrayContaining(["CreateVirtualMFADevice", "EnableMFADevice"]));
    expect(events.some((e) => e.eventName === "EnableMFADevice" && e.errorCode === "ValidationException")).toBe(true);
    for (const e of events) {
      expect(e.record).not.toContain(secret);
      for (const c of recoveryCodes) expect(e.record).not.toContain(c);
    }
    expect((await getMyMfa(principal)).factors).toMatchObject([{ type: "totp", name: "phone" }]);
  });
});

describe("sign-in with a second factor", () => {
  it("issues no session after the password alone; a TOTP code completes it, once", async () => {
    const { user, password, secret } = await userWithTotp();
    const token = await passwordStep(user.username, password);
    const code = await codeAt(secret, 30);
    const done = await consoleSecondFactor(token, { method: "totp", code });
    expect(done.error).toBeUndefined();
    const claims = await claimsOf(done.sessionToken!);
    expect(claims).toMatchObject({ uid: user.id });
    expect(typeof claims.sid).toBe("string");
    // The handle is single-use, and the code cannot be replayed with a new one.
    expect((await consoleSecondFactor(token, { method: "totp", code })).error).toMatch(/expired/);
    const again = await passwordStep(user.username, password);
    expect((await consoleSecondFactor(again, { method: "totp", code })).error).toMatch(/not accepted/);
    const check = await principalFromClaims(claims);
    expect(check.ok && check.principal.sessionId).toBe(claims.sid);
  });

  it("accepts each recovery code once", async () => {
    const { user, password, recoveryCodes } = await userWithTotp();
    const code = recoveryCodes[3]!.toLowerCase();
    expect((await consoleSecondFactor(await passwordStep(user.username, password), { method: "recovery", code })).sessionToken).toBeDefined();
    expect((await consoleSecondFactor(await passwordStep(user.username, password), { method: "recovery", code })).error).toMatch(/not accepted/);
    expect(await prisma.recoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(9);
  });

  it("counts failed second factors toward the lockout, and records them without the code", async () => {
    const { user, password, secret } = await userWithTotp();
    const token = await passwordStep(user.username, password); // the password step counts until the second factor proves it
    const errors: string[] = [];
    for (let i = 0; i < 5; i++) errors.push((await consoleSecondFactor(token, { method: "totp", code: "000000" })).error ?? "");
    expect(errors.at(-1)).toMatch(/locked/);
    expect(errors.slice(0, 3).every((e) => /not accepted/.test(e))).toBe(true);
    // Locked: even the right code does not get in now.
    expect((await consoleSecondFactor(token, { method: "totp", code: await codeAt(secret, 30) })).error).toMatch(/locked/);
    const failures = await auditEvents({ where: { eventName: "CheckMfa", principalArn: { endsWith: `:user/${user.username}` } } });
    expect(failures.length).toBeGreaterThanOrEqual(5);
    expect(failures.every((f) => f.errorCode && !f.record.includes("000000"))).toBe(true);
  });

  it("refuses a handle that was never issued", async () => {
    expect((await consoleSecondFactor("x".repeat(43), { method: "totp", code: "123456" })).error).toMatch(/expired/);
  });
});

describe("step-up", () => {
  it("gates a sensitive action until a fresh factor is proven in this session, and records the denial", async () => {
    const { user, password, secret, recoveryCodes } = await userWithTotp("ADMINISTRATOR");
    const done = await consoleSecondFactor(await passwordStep(user.username, password), { method: "recovery", code: recoveryCodes[0]! });
    const claims = await claimsOf(done.sessionToken!);
    // Signing in with a second factor counts as a fresh proof: age it.
    await prisma.consoleSession.update({ where: { id: claims.sid! }, data: { stepUpAt: new Date(Date.now() - 10 * 60_000) } });
    const check = await principalFromClaims(claims);
    if (!check.ok) throw new Error(check.reason);
    const caller = check.principal;
    await expect(requireStepUpFor(caller, "ScheduleKeyDeletion", "kms.amazonaws.com", { keyId: "k" })).rejects.toThrow(STEP_UP_REQUIRED);
    const denied = await prisma.auditEvent.findFirst({ where: { eventName: "ScheduleKeyDeletion", principalArn: caller.arn }, orderBy: { id: "desc" } });
    expect(denied?.errorCode).toBe("AccessDeniedException");
    await expect(stepUp(caller, { method: "totp", code: "999999" })).rejects.toMatchObject({ name: "AccessDeniedException" });
    await stepUp(caller, { method: "totp", code: await codeAt(secret, 30) });
    await expect(requireStepUpFor(caller, "ScheduleKeyDeletion", "kms.amazonaws.com", { keyId: "k" })).resolves.toBeUndefined();
    // Step-up protects factor changes too: with it, regenerating recovery codes works.
    expect((await regenerateRecoveryCodes(caller)).recoveryCodes).toHaveLength(10);
  });

  it("asks for a fresh factor before a console session creates any access key, its own included", async () => {
    const { user, password, secret, recoveryCodes } = await userWithTotp("KEY_USER");
    const done = await consoleSecondFactor(await passwordStep(user.username, password), { method: "recovery", code: recoveryCodes[0]! });
    const claims = await claimsOf(done.sessionToken!);
    await prisma.consoleSession.update({ where: { id: claims.sid! }, data: { stepUpAt: new Date(Date.now() - 10 * 60_000) } });
    const check = await principalFromClaims(claims);
    if (!check.ok) throw new Error(check.reason);
    // A key for oneself outlives the session and signs API calls that ask for no factor.
    await expect(requireStepUpForAccessKey(check.principal, undefined)).rejects.toThrow(STEP_UP_REQUIRED);
    const denied = await prisma.auditEvent.findFirst({ where: { eventName: "CreateAccessKey", principalArn: check.principal.arn }, orderBy: { id: "desc" } });
    expect(denied?.errorCode).toBe("AccessDeniedException");
    await stepUp(check.principal, { method: "totp", code: await codeAt(secret, 30) });
    await expect(requireStepUpForAccessKey(check.principal, undefined)).resolves.toBeUndefined();
  });

  it("does not apply to a user without MFA whose role does not require it", async () => {
    const { user, password } = await makeUser("KEY_ADMINISTRATOR");
    const claims = await claimsOf((await consoleSignIn(user.username, password)).sessionToken!);
    const check = await principalFromClaims(claims);
    if (!check.ok) throw new Error(check.reason);
    await expect(requireStepUpFor(check.principal, "DisableKey", "kms.amazonaws.com", {})).resolves.toBeUndefined();
  });
});

describe("MFA required per role, and the administrator's reset", () => {
  it("a role that requires MFA leaves its users nothing but enrolment until they have a factor", async () => {
    const op = await operator();
    const before = (await getMfaPolicy(op)).requiredRoles;
    try {
      await setMfaPolicy(op, { roles: ["AUDITOR"] });
      const { user, password } = await makeUser("AUDITOR");
      const claims = await claimsOf((await consoleSignIn(user.username, password)).sessionToken!);
      const check = await principalFromClaims(claims);
      if (!check.ok) throw new Error(check.reason);
      expect(check.principal.mfaSetupRequired).toBe(true);
      await expect(listUsers(check.principal)).rejects.toMatchObject({ name: "AccessDeniedException" });
      const begun = await beginTotpEnrolment(check.principal, { name: "phone" });
      recordSecret(begun.secret, "TOTP secret");
      await confirmTotpEnrolment(check.principal, { factorId: begun.factorId, code: await codeAt(begun.secret) });
      const after = await principalFromClaims(claims);
      expect(after.ok && after.principal.mfaSetupRequired).toBeFalsy();
      if (!after.ok) throw new Error(after.reason);
      // Removing a factor needs a step-up; and the last one cannot go while the role requires MFA.
      await expect(removeMyFactor(after.principal, { factorId: begun.factorId })).rejects.toThrow(STEP_UP_REQUIRED);
      await stepUp(after.principal, { method: "totp", code: await codeAt(begun.secret, 30) });
      await expect(removeMyFactor(after.principal, { factorId: begun.factorId })).rejects.toMatchObject({ name: "ValidationException" });
    } finally {
      await setMfaPolicy(op, { roles: before });
    }
  });

  it("an administrator resets a user's lost factors: factors and codes go, sessions end, the reset is recorded", async () => {
    const { user, password, secret } = await userWithTotp();
    const claims = await claimsOf((await consoleSecondFactor(await passwordStep(user.username, password), { method: "totp", code: await codeAt(secret, 30) })).sessionToken!);
    const { principal: admin } = await makeUser("ADMINISTRATOR");
    expect(await resetUserMfa(admin, { userId: user.id })).toEqual({ factorsRemoved: 1 });
    expect(await prisma.mfaFactor.count({ where: { userId: user.id } })).toBe(0);
    expect(await prisma.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    expect((await principalFromClaims(claims)).ok).toBe(false);
    const event = await prisma.auditEvent.findFirst({ where: { eventName: "ResetUserMfa", principalArn: admin.arn } });
    expect(event?.errorCode).toBeNull();
    // With no factor left, the password alone signs in again.
    expect((await consoleSignIn(user.username, password)).sessionToken).toBeDefined();
    const { principal: notAdmin } = await makeUser("KEY_ADMINISTRATOR");
    await expect(resetUserMfa(notAdmin, { userId: user.id })).rejects.toMatchObject({ name: "AccessDeniedException" });
  });
});
