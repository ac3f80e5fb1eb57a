// A username that does not exist must not be told apart from one that does:
// same answers through the real sign-in handler (including the lock), and
// neither the audit trail nor the log keeps the invented name.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { HIDDEN_USER_NAME, lockoutPolicy } from "@/lib/auth/sign-in";
import { logger } from "@/lib/log";
import { makeUser } from "../helpers";
import { consoleSignIn, useTestAuthEnvironment } from "./console-session";
import { auditEvents } from "../support/audit-rows";

const saved = { ...lockoutPolicy };
beforeAll(() => {
  useTestAuthEnvironment();
  // No sleeping between failures in tests: same thresholds, zero delays.
  Object.assign(lockoutPolicy, { delayBaseMs: 0, delayMaxMs: 0 });
});
afterAll(() => {
  Object.assign(lockoutPolicy, saved);
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** A per-test client address, so the test finds its own ConsoleLogin events. */
const clientIp = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}-${randomUUID().slice(0, 8)}`;

async function consoleLoginRecords(sourceIp: string) {
  const events = await auditEvents({ where: { eventName: "ConsoleLogin", sourceIp }, orderBy: { id: "asc" } });
  return events.map((e) => ({ text: e.record, record: JSON.parse(e.record) as { userIdentity: { userName?: string }; errorCode?: string } }));
}

describe("sign-in with an unknown username", () => {
  it("records the failure as HIDDEN_DUE_TO_SECURITY_REASONS, never the name, in the trail or the log", async () => {
    const ip = clientIp();
    const invented = `nobody-${randomUUID()}`;
    const info = vi.spyOn(logger, "info");
    expect((await consoleSignIn(invented, "some guess", { "x-keyhold-client-ip": ip })).error).toBe("Invalid username or password");
    const [failed] = await consoleLoginRecords(ip);
    expect(failed!.record.userIdentity.userName).toBe(HIDDEN_USER_NAME);
    expect(failed!.record.errorCode).toBe("AuthenticationFailed");
    expect(failed!.text).not.toContain(invented);
    expect(JSON.stringify(info.mock.calls)).not.toContain(invented);
  });

  it("still names a real user whose password was wrong (as CloudTrail does)", async () => {
    const ip = clientIp();
    const { user } = await makeUser("KEY_USER");
    await consoleSignIn(user.username, "not the password", { "x-keyhold-client-ip": ip });
    const [failed] = await consoleLoginRecords(ip);
    expect(failed!.record.userIdentity.userName).toBe(user.username);
  });

  it("answers a locked unknown name exactly as a locked real one", async () => {
    const { user } = await makeUser("KEY_USER");
    const invented = `nobody-${randomUUID()}`;
    const answers = async (username: string) => {
      const out: Array<string | undefined> = [];
      for (let i = 0; i <= lockoutPolicy.threshold; i++) out.push((await consoleSignIn(username, "wrong guess")).error);
      return out;
    };
    const real = await answers(user.username);
    expect(real.at(-1)).toMatch(/^Account locked/);
    expect(await answers(invented)).toEqual(real);
  });
});
