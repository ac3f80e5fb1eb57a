import { describe, expect, it } from "vitest";
import { changeOwnPassword, setUserDisabled } from "@/lib/access/users";
import { principalFromClaims } from "@/lib/auth/session";
import { makeUser, operator } from "../helpers";

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
