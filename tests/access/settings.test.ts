import { afterEach, describe, expect, it } from "vitest";
import { getSettings, updateSettings } from "@/lib/accounts/settings";
import { checkCredentials, currentLockoutPolicy } from "@/lib/auth/sign-in";
import { prisma } from "@/lib/db/client";
import { forgetRuntimeSettings, readRuntimeSettings } from "@/lib/settings/runtime";
import { makeUser } from "../helpers";
import { auditEvents } from "../support/audit-rows";

const KEYS = ["audit_retention_days", "lockout_threshold", "lockout_minutes"];

async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { name: string; message: string };
  }
  throw new Error("expected the call to fail");
}

const eventsOf = async (name: string, username: string) =>
  (await auditEvents({ where: { eventName: name } }, username)).map(
    (e) => JSON.parse(e.record) as { errorCode?: string; requestParameters?: Record<string, unknown> },
  );

describe("editable settings (audit retention, sign-in lockout)", () => {
  afterEach(async () => {
    await prisma.setting.deleteMany({ where: { key: { in: KEYS } } });
    forgetRuntimeSettings();
  });

  it("starts from the defaults: no retention (keep everything), lock after 5 failures for 15 minutes", async () => {
    const { principal } = await makeUser("AUDITOR");
    expect(await getSettings(principal)).toEqual({
      auditRetentionDays: { value: null, source: "default" },
      lockoutThreshold: { value: 5, source: "default" },
      lockoutMinutes: { value: 15, source: "default" },
    });
  });

  it("an administrator's change is stored, read back by the server and audited with what changed", async () => {
    const { principal: admin, user } = await makeUser("ADMINISTRATOR");
    const after = await updateSettings(admin, { auditRetentionDays: 400, lockoutThreshold: 3, lockoutMinutes: 30 });
    expect(after.auditRetentionDays).toEqual({ value: 400, source: "database" });
    expect(after.lockoutThreshold).toEqual({ value: 3, source: "database" });
    forgetRuntimeSettings();
    expect((await readRuntimeSettings()).lockoutMinutes.value).toBe(30);
    expect(await currentLockoutPolicy()).toMatchObject({ threshold: 3, lockMinutes: 30 });
    const [event] = await eventsOf("UpdateSettings", user.username);
    expect(event?.errorCode).toBeUndefined();
    expect(event?.requestParameters).toMatchObject({ auditRetentionDays: 400, lockoutThreshold: 3, lockoutMinutes: 30 });

    // "Keep every event" is stored as no retention.
    expect((await updateSettings(admin, { auditRetentionDays: null })).auditRetentionDays).toEqual({ value: null, source: "database" });
  });

  it("sign-in locks after the threshold an administrator set", async () => {
    const { principal: admin } = await makeUser("ADMINISTRATOR");
    await updateSettings(admin, { lockoutThreshold: 3 });
    const { user } = await makeUser("KEY_USER", { password: "right password 1" });
    expect(await checkCredentials(user.username, "wrong")).toMatchObject({ ok: false, reason: "invalid" });
    expect(await checkCredentials(user.username, "wrong")).toMatchObject({ ok: false, reason: "invalid" });
    expect(await checkCredentials(user.username, "wrong")).toMatchObject({ ok: false, reason: "locked" });
    expect(await checkCredentials(user.username, "right password 1")).toMatchObject({ ok: false, reason: "locked" });
  });

  it("refuses out-of-range or unknown values with ValidationException, writes nothing, and records the refusal", async () => {
    const { principal: admin, user } = await makeUser("ADMINISTRATOR");
    const bad = await rejection(updateSettings(admin, { auditRetentionDays: 7, lockoutThreshold: 1.5 }));
    expect(bad.name).toBe("ValidationException");
    expect(bad.message).toContain("at least 30 days");
    expect(bad.message).toContain("whole number of failures");
    expect((await rejection(updateSettings(admin, { sessionIdleMinutes: 5 }))).name).toBe("ValidationException");
    expect(await prisma.setting.count({ where: { key: { in: KEYS } } })).toBe(0);
    const events = await eventsOf("UpdateSettings", user.username);
    expect(events.map((e) => e.errorCode)).toEqual(["ValidationException", "ValidationException"]);
  });

  it("is denied to every other role, and the denial is audited", async () => {
    for (const role of ["KEY_ADMINISTRATOR", "KEY_USER", "AUDITOR", null] as const) {
      const { principal, user } = await makeUser(role);
      expect((await rejection(updateSettings(principal, { lockoutThreshold: 10 }))).name).toBe("AccessDeniedException");
      expect((await eventsOf("UpdateSettings", user.username)).map((e) => e.errorCode)).toEqual(["AccessDeniedException"]);
    }
    expect(await prisma.setting.count({ where: { key: { in: KEYS } } })).toBe(0);
  });
});
