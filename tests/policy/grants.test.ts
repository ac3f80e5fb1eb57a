import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { operator } from "../helpers";
import { call, outcome, rejection, rootKey, userWith } from "./fixtures";

let root: Principal;
let grantee: Principal;
let retirer: Principal;
let keyUser: Principal;
let auditor: Principal;
const PLAINTEXT = new TextEncoder().encode("granted");

beforeAll(async () => {
  root = await operator();
  grantee = await userWith(null);
  retirer = await userWith(null);
  keyUser = await userWith("KEY_USER");
  auditor = await userWith("AUDITOR");
});

type Grant = { GrantId: string; GrantToken: string };
const createGrant = (caller: Principal, input: object) => call("CreateGrant", caller, input) as Promise<Grant>;

describe("grants", () => {
  it("a grant lets a principal with no role use the key at once, with its token", async () => {
    const key = await rootKey();
    expect((await outcome(call("Encrypt", grantee, { KeyId: key.id, Plaintext: PLAINTEXT }))).name).toBe("AccessDeniedException");
    const g = await createGrant(root, { KeyId: key.id, GranteePrincipal: grantee.arn, Operations: ["Encrypt", "Decrypt"] });
    expect(g.GrantId).toMatch(/^[0-9a-f]{64}$/);
    const enc = (await call("Encrypt", grantee, { KeyId: key.id, Plaintext: PLAINTEXT, GrantTokens: [g.GrantToken] })) as { CiphertextBlob: Uint8Array };
    const dec = (await call("Decrypt", grantee, { CiphertextBlob: enc.CiphertextBlob, GrantTokens: [g.GrantToken] })) as { Plaintext: Uint8Array };
    expect(Buffer.from(dec.Plaintext).toString()).toBe("granted");
    // Operations outside the grant stay denied.
    expect((await outcome(call("GenerateDataKey", grantee, { KeyId: key.id, KeySpec: "AES_256" }))).name).toBe("AccessDeniedException");
    // A garbage token is InvalidGrantTokenException.
    expect((await rejection(call("Encrypt", grantee, { KeyId: key.id, Plaintext: PLAINTEXT, GrantTokens: ["not a token!"] }))).name).toBe(
      "InvalidGrantTokenException",
    );
  });

  it("EncryptionContextEquals constraint", async () => {
    const key = await rootKey();
    await createGrant(root, { KeyId: key.id, GranteePrincipal: grantee.arn, Operations: ["Encrypt"], Constraints: { EncryptionContextEquals: { app: "billing" } } });
    const enc = (ec?: Record<string, string>) => outcome(call("Encrypt", grantee, { KeyId: key.id, Plaintext: PLAINTEXT, ...(ec ? { EncryptionContext: ec } : {}) }));
    expect((await enc({ app: "billing" })).ok).toBe(true);
    expect((await enc({ app: "billing", x: "1" })).name).toBe("AccessDeniedException");
    expect((await enc({ app: "other" })).name).toBe("AccessDeniedException");
    expect((await enc()).name).toBe("AccessDeniedException");
  });

  it("EncryptionContextSubset constraint", async () => {
    const key = await rootKey();
    await createGrant(root, { KeyId: key.id, GranteePrincipal: grantee.arn, Operations: ["GenerateDataKey"], Constraints: { EncryptionContextSubset: { app: "billing" } } });
    const gen = (ec?: Record<string, string>) => outcome(call("GenerateDataKey", grantee, { KeyId: key.id, KeySpec: "AES_256", ...(ec ? { EncryptionContext: ec } : {}) }));
    expect((await gen({ app: "billing" })).ok).toBe(true);
    expect((await gen({ app: "billing", x: "1" })).ok).toBe(true);
    expect((await gen({ x: "1" })).name).toBe("AccessDeniedException");
  });

  it("a grantee whose CreateGrant comes from a grant cannot hand on more than that grant holds", async () => {
    const key = await rootKey();
    const delegate = await userWith(null);
    const other = await userWith(null);
    await createGrant(root, { KeyId: key.id, GranteePrincipal: delegate.arn, Operations: ["CreateGrant", "Encrypt"] });
    // Within the parent grant: allowed.
    await createGrant(delegate, { KeyId: key.id, GranteePrincipal: other.arn, Operations: ["Encrypt"] });
    // Operations the parent grant lacks (Decrypt), for anyone (even itself): denied.
    for (const to of [other, delegate]) {
      const e = await rejection(createGrant(delegate, { KeyId: key.id, GranteePrincipal: to.arn, Operations: ["Encrypt", "Decrypt"] }));
      expect(e.name).toBe("AccessDeniedException");
      expect(e.message).toMatch(/does not include that operation/);
    }

    // A constrained parent: the child must be at least as strict.
    const scoped = await userWith(null);
    await createGrant(root, {
      KeyId: key.id,
      GranteePrincipal: scoped.arn,
      Operations: ["CreateGrant", "Encrypt"],
      Constraints: { EncryptionContextEquals: { app: "billing" } },
    });
    const child = (constraints?: object) =>
      outcome(createGrant(scoped, { KeyId: key.id, GranteePrincipal: other.arn, Operations: ["Encrypt"], ...(constraints ? { Constraints: constraints } : {}) }));
    expect((await child({ EncryptionContextEquals: { app: "billing" } })).ok).toBe(true);
    expect((await child({ EncryptionContextSubset: { app: "billing" } })).name).toBe("AccessDeniedException");
    expect((await child()).name).toBe("AccessDeniedException");

    const subset = await userWith(null);
    await createGrant(root, {
      KeyId: key.id,
      GranteePrincipal: subset.arn,
      Operations: ["CreateGrant", "Encrypt"],
      Constraints: { EncryptionContextSubset: { app: "billing" } },
    });
    const fromSubset = (constraints?: object) =>
      outcome(createGrant(subset, { KeyId: key.id, GranteePrincipal: other.arn, Operations: ["Encrypt"], ...(constraints ? { Constraints: constraints } : {}) }));
    expect((await fromSubset({ EncryptionContextSubset: { app: "billing", team: "a" } })).ok).toBe(true);
    expect((await fromSubset({ EncryptionContextEquals: { app: "billing" } })).ok).toBe(true);
    expect((await fromSubset({ EncryptionContextSubset: { team: "a" } })).name).toBe("AccessDeniedException");
  });

  it("validates operations and constraints against the key", async () => {
    const sign = await rootKey({ KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" });
    expect((await rejection(createGrant(root, { KeyId: sign.id, GranteePrincipal: grantee.arn, Operations: ["Encrypt"] }))).name).toBe("ValidationException");
    expect(
      (await rejection(createGrant(root, { KeyId: sign.id, GranteePrincipal: grantee.arn, Operations: ["Sign"], Constraints: { EncryptionContextSubset: { a: "b" } } }))).name,
    ).toBe("ValidationException");
    expect((await rejection(createGrant(root, { KeyId: sign.id, GranteePrincipal: "bob", Operations: ["Sign"] }))).name).toBe("InvalidArnException");
    expect((await rejection(createGrant(root, { KeyId: sign.id, GranteePrincipal: grantee.arn, Operations: ["Dance"] }))).name).toBe("ValidationException");
    expect((await rejection(createGrant(root, { KeyId: sign.id, GranteePrincipal: grantee.arn, Operations: ["Sign"], DryRun: true }))).name).toBe(
      "DryRunOperationException",
    );
  });

  it("Name idempotency: the same name and parameters return the same grant", async () => {
    const key = await rootKey();
    const input = { KeyId: key.id, GranteePrincipal: grantee.arn, Operations: ["Encrypt"], Name: "app-grant" };
    const a = await createGrant(root, input);
    const b = await createGrant(root, { ...input, Operations: ["Encrypt"] });
    expect(b.GrantId).toBe(a.GrantId);
    const c = await createGrant(root, { ...input, Operations: ["Encrypt", "Decrypt"] });
    expect(c.GrantId).not.toBe(a.GrantId);
    const list = (await call("ListGrants", auditor, { KeyId: key.id })) as { Grants: Array<{ GrantId: string; Name?: string; IssuingAccount: string; KeyId: string }> };
    expect(list.Grants.map((g) => g.GrantId).sort()).toEqual([a.GrantId, c.GrantId].sort());
    expect(list.Grants[0]).toMatchObject({ Name: "app-grant", IssuingAccount: `arn:aws:iam::${root.accountId}:root`, KeyId: key.arn });
  });

  it("ListGrants pages and filters; ListRetirableGrants lists by retiring principal", async () => {
    const key = await rootKey();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await createGrant(root, { KeyId: key.id, GranteePrincipal: i === 0 ? retirer.arn : grantee.arn, RetiringPrincipal: retirer.arn, Operations: ["Decrypt"] })).GrantId);
    }
    const first = (await call("ListGrants", root, { KeyId: key.id, Limit: 2 })) as { Grants: Array<{ GrantId: string }>; Truncated: boolean; NextMarker?: string };
    expect(first.Grants).toHaveLength(2);
    expect(first.Truncated).toBe(true);
    const second = (await call("ListGrants", root, { KeyId: key.id, Limit: 2, Marker: first.NextMarker })) as { Grants: Array<{ GrantId: string }>; Truncated: boolean };
    expect(second.Truncated).toBe(false);
    expect([...first.Grants, ...second.Grants].map((g) => g.GrantId).sort()).toEqual([...ids].sort());
    const byGrantee = (await call("ListGrants", root, { KeyId: key.id, GranteePrincipal: retirer.arn })) as { Grants: unknown[] };
    expect(byGrantee.Grants).toHaveLength(1);
    const byId = (await call("ListGrants", root, { KeyId: key.id, GrantId: ids[1] })) as { Grants: Array<{ GrantId: string }> };
    expect(byId.Grants.map((g) => g.GrantId)).toEqual([ids[1]]);
    expect((await rejection(call("ListGrants", root, { KeyId: key.id, GrantId: "nope" }))).name).toBe("InvalidGrantIdException");
    const retirable = (await call("ListRetirableGrants", keyUser, { RetiringPrincipal: retirer.arn })) as { Grants: Array<{ GrantId: string }> };
    expect(retirable.Grants.map((g) => g.GrantId)).toEqual(expect.arrayContaining(ids));
  });

  it("retire vs revoke permissions", async () => {
    const key = await rootKey();
    const mk = (extra: object = {}) => createGrant(root, { KeyId: key.id, GranteePrincipal: grantee.arn, Operations: ["Encrypt"], ...extra });

    // The retiring principal may retire (by token), though it has no role.
    const byRetirer = await mk({ RetiringPrincipal: retirer.arn });
    expect((await rejection(call("RetireGrant", grantee, { GrantToken: byRetirer.GrantToken }))).name).toBe("AccessDeniedException");
    await call("RetireGrant", retirer, { GrantToken: byRetirer.GrantToken });
    expect((await rejection(call("RetireGrant", retirer, { GrantToken: byRetirer.GrantToken }))).name).toBe("NotFoundException");

    // The grantee may retire when the grant includes RetireGrant.
    const selfRetiring = await mk({ Operations: ["Encrypt", "RetireGrant"] });
    await call("RetireGrant", grantee, { KeyId: key.id, GrantId: selfRetiring.GrantId });

    // Revoking needs kms:RevokeGrant by policy: a retiring principal with no role may not revoke.
    const g = await mk({ RetiringPrincipal: retirer.arn });
    expect((await rejection(call("RevokeGrant", retirer, { KeyId: key.id, GrantId: g.GrantId }))).name).toBe("AccessDeniedException");
    expect((await rejection(call("RevokeGrant", auditor, { KeyId: key.id, GrantId: g.GrantId }))).name).toBe("AccessDeniedException");
    expect((await rejection(call("RevokeGrant", keyUser, { KeyId: key.id, GrantId: g.GrantId, DryRun: true }))).name).toBe("DryRunOperationException");
    await call("RevokeGrant", keyUser, { KeyId: key.id, GrantId: g.GrantId });
    expect((await rejection(call("RevokeGrant", keyUser, { KeyId: key.id, GrantId: g.GrantId }))).name).toBe("NotFoundException");

    // Once revoked the grant allows nothing; its token is still well-formed, so it is accepted but useless.
    expect((await outcome(call("Encrypt", grantee, { KeyId: key.id, Plaintext: PLAINTEXT, GrantTokens: [g.GrantToken] }))).name).toBe("AccessDeniedException");
    expect((await rejection(call("RetireGrant", retirer, { GrantToken: "garbage token" }))).name).toBe("InvalidGrantTokenException");
  });

  it("grants never override an explicit deny in the key policy", async () => {
    const key = await rootKey();
    await createGrant(root, { KeyId: key.id, GranteePrincipal: grantee.arn, Operations: ["Encrypt"] });
    await call("PutKeyPolicy", root, {
      KeyId: key.id,
      Policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { AWS: root.arn }, Action: "kms:*", Resource: "*" },
          { Effect: "Deny", Principal: { AWS: grantee.arn }, Action: "kms:*", Resource: "*" },
        ],
      }),
    });
    const e = await rejection(call("Encrypt", grantee, { KeyId: key.id, Plaintext: PLAINTEXT }));
    expect(e.message).toContain("explicit deny");
  });
});
