// ImportKeyMaterial under quorum: the held request keeps the import token and
// the wrapped material only sealed under the root key (never in its JSON, its
// summary, the approvers' list or the audit trail), runs with exactly the
// input the requester sent (byte strings and dates included) when approved,
// and erases the sealed input once it ran or was rejected.
import { randomBytes } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { listApprovalRequests } from "@/lib/approvals";
import { invokeKmsWithApproval } from "@/lib/approvals/gate";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { recordSecret } from "../secret-registry";
import { call } from "../policy/fixtures";
import { wrapForImport } from "../kms/lifecycle/import-wrap";
import { administrators, decide, eventsText, heldId, requireApprovals, retireAdministratorsAfterFile, spellings } from "./support";

let alice: Principal, bob: Principal;
retireAdministratorsAfterFile();
beforeAll(async () => {
  [alice, bob] = await administrators(2);
});
afterEach(async () => {
  await prisma.approvalRule.deleteMany();
});

async function importRequest(caller: Principal) {
  const created = (await call("CreateKey", caller, { Origin: "EXTERNAL" })) as { KeyMetadata: { KeyId: string } };
  const keyId = created.KeyMetadata.KeyId;
  const params = (await call("GetParametersForImport", caller, { KeyId: keyId, WrappingAlgorithm: "RSA_AES_KEY_WRAP_SHA_256", WrappingKeySpec: "RSA_2048" })) as {
    ImportToken: Uint8Array;
    PublicKey: Uint8Array;
  };
  const material = randomBytes(32);
  const encrypted = wrapForImport(params.PublicKey, "RSA_AES_KEY_WRAP_SHA_256", material);
  recordSecret(material, "imported material");
  recordSecret(encrypted, "wrapped material");
  recordSecret(params.ImportToken, "import token");
  const validTo = new Date(Date.now() + 2 * 86400_000);
  return { keyId, material, token: params.ImportToken, encrypted, validTo, input: { KeyId: keyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: encrypted, ValidTo: validTo } };
}

const secretsOf = (r: { token: Uint8Array; encrypted: Uint8Array; material: Uint8Array }) => [...spellings(r.token), ...spellings(r.encrypted), ...spellings(r.material)];

describe("ImportKeyMaterial under quorum", () => {
  it("keeps the token and wrapped material sealed while held, imports them as sent once approved", async () => {
    await requireApprovals("ImportKeyMaterial", 1);
    const r = await importRequest(alice);
    const id = await heldId(invokeKmsWithApproval("ImportKeyMaterial", alice, r.input, { source: "api" }));
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: r.keyId } })).keyState).toBe("PendingImport");

    // Stored: the rest of the input as JSON, the secrets only sealed; the approvers see "(hidden)".
    const row = await prisma.approvalRequest.findUniqueOrThrow({ where: { id } });
    expect(row.input).toEqual({ KeyId: r.keyId, ValidTo: { $date: r.validTo.toISOString() } });
    expect(row.sealedInput).not.toBeNull();
    expect(row.summary).toMatchObject({ keyId: r.keyId, ImportToken: "(hidden)", EncryptedKeyMaterial: "(hidden)" });
    const listed = (await listApprovalRequests(bob, { status: "pending" })).find((x) => x.id === id)!;
    const visible = JSON.stringify([listed, row.input, row.summary]);
    for (const s of secretsOf(r)) expect(visible).not.toContain(s);

    const done = await decide(bob, id, "approve");
    expect(done).toMatchObject({ status: "executed", execution: { ok: true } });
    const key = await prisma.kmsKey.findUniqueOrThrow({ where: { id: r.keyId } });
    expect(key.keyState).toBe("Enabled");
    expect(key.materialValidTo?.toISOString()).toBe(r.validTo.toISOString());
    const ct = (await call("Encrypt", alice, { KeyId: r.keyId, Plaintext: Buffer.from("imported by quorum") })) as { CiphertextBlob: Uint8Array };
    expect(Buffer.from(((await call("Decrypt", alice, { CiphertextBlob: ct.CiphertextBlob })) as { Plaintext: Uint8Array }).Plaintext).toString()).toBe("imported by quorum");
    // Ran: the sealed input is gone.
    expect((await prisma.approvalRequest.findUniqueOrThrow({ where: { id } })).sealedInput).toBeNull();

    const events = await eventsText(id);
    expect(events.names).toEqual([
      ["ImportKeyMaterial", "AccessDeniedException"],
      ["ImportKeyMaterial", null],
      ["ApproveApprovalRequest", null],
    ]);
    for (const s of secretsOf(r)) expect(events.text).not.toContain(s);
  });

  it("answers a bad token at once and holds nothing; a rejection erases the sealed input", async () => {
    await requireApprovals("ImportKeyMaterial", 1);
    const r = await importRequest(alice);
    const before = await prisma.approvalRequest.count();
    const bad = { ...r.input, ImportToken: randomBytes(r.token.length) };
    await expect(invokeKmsWithApproval("ImportKeyMaterial", alice, bad, { source: "api" })).rejects.toMatchObject({ name: "InvalidImportTokenException" });
    expect(await prisma.approvalRequest.count()).toBe(before);

    const id = await heldId(invokeKmsWithApproval("ImportKeyMaterial", alice, r.input, { source: "console" }));
    expect(await decide(bob, id, "reject")).toMatchObject({ status: "rejected" });
    const row = await prisma.approvalRequest.findUniqueOrThrow({ where: { id } });
    expect(row.sealedInput).toBeNull();
    expect((await prisma.kmsKey.findUniqueOrThrow({ where: { id: r.keyId } })).keyState).toBe("PendingImport");
  });
});
