// Custom key store changes under quorum (SoftHSM2 in this process): the held
// CreateCustomKeyStore/UpdateCustomKeyStore keep the KeyStorePassword (the
// token PIN) only sealed and show it as "(hidden)"; the dry run of Connect
// and Disconnect never touches the token; each runs once approved.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { listApprovalRequests } from "@/lib/approvals";
import { invokeKmsWithApproval } from "@/lib/approvals/gate";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { recordSecret } from "../secret-registry";
import { createSoftHsm, selfSignedTrustAnchor, softHsmAvailable, type SoftHsm } from "../support/softhsm";
import { administrators, decide, eventsText, heldId, requireApprovals, retireAdministratorsAfterFile, spellings } from "./support";

const LABEL = "kh-approvals";
const PIN = "approvals-token-pin-1";
const NEW_PIN = "approvals-token-pin-2";

let hsm: SoftHsm;
let alice: Principal, bob: Principal;
const gated = (op: string, caller: Principal, input: object) => invokeKmsWithApproval(op, caller, input, { source: "api" });
/** Whether this process holds a logged-in session pool on the store's token (lib/hsm/connections.ts). */
const isConnected = (storeId: string) => !!(globalThis as { keyholdHsmPools?: Map<string, unknown> }).keyholdHsmPools?.has(storeId);
const store = (id: string) => prisma.customKeyStore.findUniqueOrThrow({ where: { id } });

describe.skipIf(!softHsmAvailable())("custom key store changes under quorum", () => {
  retireAdministratorsAfterFile();
  beforeAll(async () => {
    recordSecret(PIN, "token PIN");
    recordSecret(NEW_PIN, "new token PIN");
    hsm = createSoftHsm();
    hsm.initToken(LABEL, PIN);
    Object.assign(process.env, hsm.env); // before the PKCS#11 library is first loaded
    [alice, bob] = await administrators(2);
  });
  afterEach(async () => {
    await prisma.approvalRule.deleteMany();
  });
  afterAll(() => hsm?.cleanup());

  it("create, update, connect, disconnect and delete each wait for approval; the PIN stays sealed", async () => {
    for (const op of ["CreateCustomKeyStore", "UpdateCustomKeyStore", "ConnectCustomKeyStore", "DisconnectCustomKeyStore", "DeleteCustomKeyStore"]) {
      await requireApprovals(op, 1);
    }
    const name = `approved-${Date.now()}`;
    const created = await heldId(
      gated("CreateCustomKeyStore", alice, { CustomKeyStoreName: name, CloudHsmClusterId: LABEL, KeyStorePassword: PIN, TrustAnchorCertificate: selfSignedTrustAnchor() }),
    );
    expect(await prisma.customKeyStore.count({ where: { name } })).toBe(0);
    const row = await prisma.approvalRequest.findUniqueOrThrow({ where: { id: created } });
    expect(row.input).not.toHaveProperty("KeyStorePassword");
    expect(row.summary).toMatchObject({ customKeyStoreName: name, cloudHsmClusterId: LABEL, KeyStorePassword: "(hidden)" });
    expect(JSON.stringify(await listApprovalRequests(bob))).not.toContain(PIN);

    const done = await decide(bob, created, "approve");
    expect(done).toMatchObject({ status: "executed", execution: { ok: true } });
    const storeId = (done.execution as { response: { CustomKeyStoreId: string } }).response.CustomKeyStoreId;
    expect((await store(storeId)).connectionState).toBe("DISCONNECTED");

    // A new PIN: held and sealed like the first (the token's PIN is not changed, so the connection will fail).
    const updated = await heldId(gated("UpdateCustomKeyStore", alice, { CustomKeyStoreId: storeId, KeyStorePassword: NEW_PIN }));
    expect((await prisma.approvalRequest.findUniqueOrThrow({ where: { id: updated } })).summary).toMatchObject({ KeyStorePassword: "(hidden)", connectionStateBefore: "DISCONNECTED" });
    await decide(bob, updated, "reject");
    expect((await prisma.approvalRequest.findUniqueOrThrow({ where: { id: updated } })).sealedInput).toBeNull();

    // Connecting: the dry run does not log in to the token.
    const connect = await heldId(gated("ConnectCustomKeyStore", alice, { CustomKeyStoreId: storeId }));
    expect(isConnected(storeId)).toBe(false);
    expect((await store(storeId)).connectionState).toBe("DISCONNECTED");
    expect(await decide(bob, connect, "approve")).toMatchObject({ status: "executed" });
    expect((await store(storeId)).connectionState).toBe("CONNECTED");
    expect(isConnected(storeId)).toBe(true);

    const disconnect = await heldId(gated("DisconnectCustomKeyStore", alice, { CustomKeyStoreId: storeId }));
    expect(isConnected(storeId)).toBe(true);
    await decide(bob, disconnect, "approve");
    expect((await store(storeId)).connectionState).toBe("DISCONNECTED");

    const deleted = await heldId(gated("DeleteCustomKeyStore", alice, { CustomKeyStoreId: storeId }));
    expect(await prisma.customKeyStore.count({ where: { id: storeId } })).toBe(1);
    await decide(bob, deleted, "approve");
    expect(await prisma.customKeyStore.count({ where: { id: storeId } })).toBe(0);

    for (const id of [created, updated, connect, disconnect, deleted]) {
      const { text } = await eventsText(id);
      for (const s of [...spellings(PIN), ...spellings(NEW_PIN)]) expect(text).not.toContain(s);
    }
  });
});
