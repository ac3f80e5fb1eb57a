// The bootstrap access key (KEYHOLD_BOOTSTRAP_ACCESS_KEY_ID) is created once,
// on record; an administrator's deactivation or deletion survives restarts.
import { describe, expect, it } from "vitest";
import { deleteAccessKey, ensureBootstrapAccessKey, generateAccessKeyId, generateSecretAccessKey, setAccessKeyStatus } from "@/lib/accounts/access-keys";
import { prisma } from "@/lib/db/client";
import { makeUser, operator } from "../helpers";
import { recordSecret } from "../secret-registry";
import { auditEvents } from "../support/audit-rows";

describe("the bootstrap access key at start-up", () => {
  it("is created once and audited; a deactivated key stays inactive and a deleted one is not recreated", async () => {
    const { user } = await makeUser("ADMINISTRATOR");
    const id = generateAccessKeyId();
    const secret = generateSecretAccessKey();
    recordSecret(secret, "bootstrap secret");

    expect(await ensureBootstrapAccessKey(user.username, id, secret)).toBe("created");
    const created = await auditEvents({ where: { eventName: "CreateAccessKey" } }, id);
    expect(created).toHaveLength(1);
    expect(created[0]!.principalArn).toBe((await operator()).arn);
    expect(created[0]!.errorCode).toBeNull();

    // Restart with the key active: nothing changes, nothing is recorded again.
    expect(await ensureBootstrapAccessKey(user.username, id, secret)).toBe("exists");
    await setAccessKeyStatus(await operator(), { accessKeyId: id, status: "Inactive" });
    expect(await ensureBootstrapAccessKey(user.username, id, secret)).toBe("exists");
    expect((await prisma.accessKey.findUniqueOrThrow({ where: { id } })).status).toBe("Inactive");

    await deleteAccessKey(await operator(), { accessKeyId: id });
    expect(await ensureBootstrapAccessKey(user.username, id, secret)).toBe("deleted");
    expect(await prisma.accessKey.findUnique({ where: { id } })).toBeNull();
    expect((await auditEvents({ where: { eventName: "CreateAccessKey" } }, id)).length).toBe(1);
  });

  it("is not recreated when it was deleted before start-ups remembered it (the audit trail says so)", async () => {
    const { user } = await makeUser("ADMINISTRATOR");
    const id = generateAccessKeyId();
    const secret = generateSecretAccessKey();
    recordSecret(secret, "bootstrap secret");
    await ensureBootstrapAccessKey(user.username, id, secret);
    await deleteAccessKey(await operator(), { accessKeyId: id });
    await prisma.setting.delete({ where: { key: `bootstrap-access-key:${id}` } });
    expect(await ensureBootstrapAccessKey(user.username, id, secret)).toBe("deleted");
  });
});
