import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { kmsOperations } from "@/lib/kms";
import { createAlias } from "@/lib/kms/operations/aliases";
import { lifecycleOperations } from "@/lib/kms/operations/registry-lifecycle";
import { makeUser } from "../../helpers";
import { callers, newKey, rejection, type Callers } from "./fixtures";

let c: Callers;
beforeAll(async () => {
  c = await callers();
});

const MANAGEMENT = [
  "CreateAlias",
  "UpdateAlias",
  "DeleteAlias",
  "TagResource",
  "UntagResource",
  "ScheduleKeyDeletion",
  "CancelKeyDeletion",
  "EnableKeyRotation",
  "DisableKeyRotation",
  "RotateKeyOnDemand",
] as const;
const READS = ["ListAliases", "ListResourceTags", "GetKeyRotationStatus", "ListKeyRotations"] as const;

async function snapshot(keyId: string) {
  const key = await prisma.kmsKey.findUniqueOrThrow({ where: { id: keyId } });
  return {
    key,
    materials: await prisma.keyMaterial.count({ where: { keyId } }),
    aliases: await prisma.alias.findMany({ where: { keyId }, orderBy: { name: "asc" } }),
    tags: await prisma.keyTag.findMany({ where: { keyId }, orderBy: { tagKey: "asc" } }),
  };
}

describe("lifecycle registry", () => {
  it("registers every lifecycle operation by AWS name in the key service", () => {
    expect(Object.keys(lifecycleOperations).sort()).toEqual([...MANAGEMENT, ...READS].sort());
    for (const name of [...MANAGEMENT, ...READS]) expect(kmsOperations[name]).toBe(lifecycleOperations[name]);
  });
});

describe("authorization of lifecycle operations", () => {
  it.each(["AUDITOR", "KEY_USER"] as const)("denies every management operation to %s and changes nothing", async (role) => {
    const caller: Principal = role === "AUDITOR" ? c.auditor : c.keyUser;
    const key = await newKey(c.keyAdmin, { Tags: [{ TagKey: "owner", TagValue: "sec" }] });
    const other = await newKey(c.keyAdmin);
    const alias = `alias/authz-${key.id}`;
    await createAlias(c.keyAdmin, { AliasName: alias, TargetKeyId: key.id });
    const before = await snapshot(key.id);
    const inputs: Record<(typeof MANAGEMENT)[number], object> = {
      CreateAlias: { AliasName: `alias/authz-new-${key.id}`, TargetKeyId: key.id },
      UpdateAlias: { AliasName: alias, TargetKeyId: other.id },
      DeleteAlias: { AliasName: alias },
      TagResource: { KeyId: key.id, Tags: [{ TagKey: "owner", TagValue: "mallory" }] },
      UntagResource: { KeyId: key.id, TagKeys: ["owner"] },
      ScheduleKeyDeletion: { KeyId: key.id, PendingWindowInDays: 7 },
      CancelKeyDeletion: { KeyId: key.id },
      EnableKeyRotation: { KeyId: key.id },
      DisableKeyRotation: { KeyId: key.id },
      RotateKeyOnDemand: { KeyId: key.id },
    };
    for (const op of MANAGEMENT) {
      const e = await rejection(lifecycleOperations[op]!(caller, inputs[op]));
      expect(e.name, op).toBe("AccessDeniedException");
      expect(e.status).toBe(403);
      expect(e.message).toContain(`kms:${op}`);
    }
    expect(await snapshot(key.id)).toEqual(before);
    expect(await prisma.alias.count({ where: { name: `alias/authz-new-${key.id}` } })).toBe(0);
  });

  it("lets auditors and key users read lifecycle information", async () => {
    const key = await newKey(c.keyAdmin);
    for (const caller of [c.auditor, c.keyUser]) {
      for (const op of READS) {
        await expect(lifecycleOperations[op]!(caller, { KeyId: key.id })).resolves.toBeTypeOf("object");
      }
    }
  });

  it("lets key administrators and administrators manage", async () => {
    for (const caller of [c.keyAdmin, c.admin]) {
      const key = await newKey(caller);
      await lifecycleOperations.TagResource!(caller, { KeyId: key.id, Tags: [{ TagKey: "a", TagValue: "b" }] });
      await lifecycleOperations.CreateAlias!(caller, { AliasName: `alias/mgr-${key.id}`, TargetKeyId: key.id });
      await lifecycleOperations.RotateKeyOnDemand!(caller, { KeyId: key.id });
      await lifecycleOperations.ScheduleKeyDeletion!(caller, { KeyId: key.id });
      await lifecycleOperations.CancelKeyDeletion!(caller, { KeyId: key.id });
      expect((await snapshot(key.id)).key).toMatchObject({ keyState: "Disabled", currentVersion: 2 });
    }
  });

  it("denies a user without a role and one who must change their password", async () => {
    const key = await newKey(c.keyAdmin);
    const { principal: nobody } = await makeUser(null);
    const { principal: mustChange } = await makeUser("KEY_ADMINISTRATOR", { mustChangePassword: true });
    for (const caller of [nobody, mustChange]) {
      expect((await rejection(lifecycleOperations.ListAliases!(caller, {}))).name).toBe("AccessDeniedException");
      expect((await rejection(lifecycleOperations.ScheduleKeyDeletion!(caller, { KeyId: key.id }))).name).toBe(
        "AccessDeniedException",
      );
    }
    expect((await snapshot(key.id)).key.keyState).toBe("Enabled");
  });
});
