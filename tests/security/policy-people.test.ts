// The key policy's people picker lists users only to callers who may change
// that key's policy, and only names and ARNs; every call is recorded.
import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { listKeyPolicyPrincipals } from "@/lib/console/keys/queries";
import { prisma } from "@/lib/db/client";
import { makeUser, operator } from "../helpers";
import { call } from "../policy/fixtures";

let keyId: string;
let keyUser: Principal;
let admin: Principal;

beforeAll(async () => {
  keyUser = (await makeUser("KEY_USER")).principal;
  admin = (await makeUser("ADMINISTRATOR")).principal;
  keyId = ((await call("CreateKey", await operator(), {})) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
});

const events = (arn: string) => prisma.auditEvent.findMany({ where: { eventName: "ListUsers", principalArn: arn }, select: { errorCode: true } });

describe("the key policy people picker", () => {
  it("is denied to a key user (who may read the policy but not change it), and the denial is recorded", async () => {
    await expect(listKeyPolicyPrincipals(keyUser, keyId)).rejects.toMatchObject({ name: "AccessDeniedException" });
    expect(await events(keyUser.arn)).toEqual([{ errorCode: "AccessDeniedException" }]);
  });

  it("lists names and ARNs only to an administrator, recorded", async () => {
    const people = await listKeyPolicyPrincipals(admin, keyId);
    const me = people.find((p) => p.arn === admin.arn);
    expect(me).toEqual({ username: admin.username, arn: admin.arn });
    for (const p of people) expect(Object.keys(p).sort()).toEqual(["arn", "username"]);
    expect(await events(admin.arn)).toEqual([{ errorCode: null }]);
  });
});
