// Custom roles: an identity policy with its own JSON, added to a user's
// built-in role (if any). Principals are resolved the way each door does it
// (console session claims, API access keys) so the wiring is tested too.
import { beforeAll, describe, expect, it } from "vitest";
import { createAccessKey } from "@/lib/accounts/access-keys";
import {
  createCustomRole,
  deleteCustomRole,
  listCustomRoles,
  setUserCustomRole,
  updateCustomRole,
} from "@/lib/accounts/custom-roles";
import { credentialFor } from "@/lib/api/credentials";
import type { Principal } from "@/lib/auth/principal";
import { principalFromClaims } from "@/lib/auth/session";
import { prisma, type User } from "@/lib/db/client";
import { makeUser, operator } from "../helpers";
import { call, outcome, policy, rejection, rootKey, unique } from "./fixtures";

const ENCRYPT_ONLY = policy({ Sid: "EncryptOnly", Effect: "Allow", Action: "kms:Encrypt", Resource: "*" });
const PLAINTEXT = new TextEncoder().encode("custom role");

async function sessionPrincipal(user: User): Promise<Principal> {
  const fresh = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
  const check = await principalFromClaims(
    { uid: fresh.id, epoch: fresh.sessionEpoch, authTime: Math.floor(Date.now() / 1000) },
    { maxSeconds: 3600 },
  );
  if (!check.ok) throw new Error(check.reason);
  return check.principal;
}

let admin: Principal;
let key: { id: string; arn: string };

beforeAll(async () => {
  admin = (await makeUser("ADMINISTRATOR")).principal;
  key = await rootKey(); // the default key policy: the account-root statement delegates to identity policies
});

describe("custom roles", () => {
  it("grant exactly their kms: actions through the console session, and stop when removed", async () => {
    const { user } = await makeUser(null);
    const role = await createCustomRole(admin, { name: unique("encryptor"), description: "Encrypt only", policy: ENCRYPT_ONLY });

    const before = await sessionPrincipal(user);
    expect((await outcome(call("Encrypt", before, { KeyId: key.id, Plaintext: PLAINTEXT }))).name).toBe("AccessDeniedException");

    await setUserCustomRole(admin, { userId: user.id, customRoleId: role.id });
    const withRole = await sessionPrincipal(user);
    expect(withRole.customPolicy).toBe(ENCRYPT_ONLY);
    expect(withRole.role).toBeNull();
    const encrypted = await outcome(call("Encrypt", withRole, { KeyId: key.id, Plaintext: PLAINTEXT }));
    expect(encrypted.ok).toBe(true);
    const blob = (encrypted.value as { CiphertextBlob: Uint8Array }).CiphertextBlob;
    const decrypt = await rejection(call("Decrypt", withRole, { CiphertextBlob: blob }));
    expect(decrypt.name).toBe("AccessDeniedException");
    expect(decrypt.message).toContain("kms:Decrypt");
    // Console page gates stay built-in-role based: no role, no Users/Roles pages.
    expect((await outcome(listCustomRoles(withRole))).name).toBe("AccessDeniedException");

    await setUserCustomRole(admin, { userId: user.id, customRoleId: null });
    const after = await sessionPrincipal(user);
    expect(after.customPolicy).toBeUndefined();
    expect((await outcome(call("Encrypt", after, { KeyId: key.id, Plaintext: PLAINTEXT }))).name).toBe("AccessDeniedException");
  });

  it("adds to a built-in role; an explicit Deny in the custom role wins", async () => {
    const { user } = await makeUser("KEY_USER");
    const role = await createCustomRole(admin, {
      name: unique("no-decrypt"),
      policy: policy({ Effect: "Deny", Action: "kms:Decrypt", Resource: "*" }),
    });
    await setUserCustomRole(admin, { userId: user.id, customRoleId: role.id });
    const p = await sessionPrincipal(user);
    const out = (await call("Encrypt", p, { KeyId: key.id, Plaintext: PLAINTEXT })) as { CiphertextBlob: Uint8Array };
    expect((await rejection(call("Decrypt", p, { CiphertextBlob: out.CiphertextBlob }))).name).toBe("AccessDeniedException");
  });

  it("reach API credentials, and changes drop the cached principal at once", async () => {
    const { user } = await makeUser(null);
    const role = await createCustomRole(admin, { name: unique("api-encryptor"), policy: ENCRYPT_ONLY });
    const { AccessKeyId } = (await createAccessKey(await operator(), { username: user.username })) as { AccessKeyId: string };
    expect((await credentialFor(AccessKeyId)).principal.customPolicy).toBeUndefined();

    await setUserCustomRole(admin, { userId: user.id, customRoleId: role.id });
    const p = (await credentialFor(AccessKeyId)).principal;
    expect(p.customPolicy).toBe(ENCRYPT_ONLY);
    expect((await outcome(call("Encrypt", p, { KeyId: key.id, Plaintext: PLAINTEXT }))).ok).toBe(true);

    const denyAll = policy({ Effect: "Deny", Action: "kms:*", Resource: "*" });
    await updateCustomRole(admin, { customRoleId: role.id, policy: denyAll });
    expect((await credentialFor(AccessKeyId)).principal.customPolicy).toBe(denyAll);
  });

  it("rejects a malformed policy with the exact problem, and bad names", async () => {
    const name = unique("bad");
    const missing = await rejection(createCustomRole(admin, { name, policy: JSON.stringify({ Version: "2012-10-17" }) }));
    expect(missing).toEqual({ name: "MalformedPolicyDocumentException", message: "The policy has no Statement." });
    const unknown = await rejection(createCustomRole(admin, { name, policy: JSON.stringify({ Version: "2012-10-17", Statement: [], Foo: 1 }) }));
    expect(unknown).toEqual({ name: "MalformedPolicyDocumentException", message: 'The policy has an unknown element: "Foo".' });
    expect((await rejection(createCustomRole(admin, { name, policy: "{" }))).message).toMatch(/^The policy is not valid JSON: /);
    expect((await rejection(createCustomRole(admin, { name: "has space", policy: ENCRYPT_ONLY }))).name).toBe("ValidationException");
    expect((await rejection(createCustomRole(admin, { name: "x".repeat(65), policy: ENCRYPT_ONLY }))).name).toBe("ValidationException");
    expect(await prisma.customRole.count({ where: { name } })).toBe(0);

    const role = await createCustomRole(admin, { name, policy: ENCRYPT_ONLY });
    expect((await rejection(createCustomRole(admin, { name, policy: ENCRYPT_ONLY }))).name).toBe("AlreadyExistsException");
    const badUpdate = await rejection(updateCustomRole(admin, { customRoleId: role.id, policy: "[]" }));
    expect(badUpdate).toEqual({ name: "MalformedPolicyDocumentException", message: "The policy must be a JSON object." });
    expect((await prisma.customRole.findUniqueOrThrow({ where: { id: role.id } })).policy).toBe(ENCRYPT_ONLY);
  });

  it("only administrators manage custom roles", async () => {
    const role = await createCustomRole(admin, { name: unique("guarded"), policy: ENCRYPT_ONLY });
    const { user: target } = await makeUser(null);
    for (const r of ["KEY_ADMINISTRATOR", "KEY_USER", "AUDITOR", null] as const) {
      const p = (await makeUser(r)).principal;
      // One at a time: each change runs in its own transaction and may settle in any order.
      const attempts = [
        () => createCustomRole(p, { name: unique("nope"), policy: ENCRYPT_ONLY }),
        () => updateCustomRole(p, { customRoleId: role.id, description: "x" }),
        () => deleteCustomRole(p, { customRoleId: role.id }),
        () => setUserCustomRole(p, { userId: target.id, customRoleId: role.id }),
      ];
      for (const a of attempts) expect((await rejection(a())).name).toBe("AccessDeniedException");
    }
    // Auditors read them (as the Roles page); others do not.
    expect((await outcome(listCustomRoles((await makeUser("AUDITOR")).principal))).ok).toBe(true);
    expect((await outcome(listCustomRoles((await makeUser("KEY_USER")).principal))).name).toBe("AccessDeniedException");
    expect((await prisma.user.findUniqueOrThrow({ where: { id: target.id } })).customRoleId).toBeNull();
  });

  it("deleting a role unassigns it from its members", async () => {
    const role = await createCustomRole(admin, { name: unique("doomed"), policy: ENCRYPT_ONLY });
    const { user } = await makeUser(null);
    await setUserCustomRole(admin, { userId: user.id, customRoleId: role.id });
    const listed = (await listCustomRoles(admin)).find((r) => r.id === role.id);
    expect(listed?.members.map((m) => m.username)).toEqual([user.username]);

    expect(await deleteCustomRole(admin, { customRoleId: role.id })).toEqual({ unassigned: 1 });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).customRoleId).toBeNull();
    const p = await sessionPrincipal(user);
    expect((await outcome(call("Encrypt", p, { KeyId: key.id, Plaintext: PLAINTEXT }))).name).toBe("AccessDeniedException");
    expect((await rejection(setUserCustomRole(admin, { userId: user.id, customRoleId: role.id }))).name).toBe("NotFoundException");
  });
});
