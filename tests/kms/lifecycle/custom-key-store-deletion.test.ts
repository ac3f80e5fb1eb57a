// Keys in a custom key store (SoftHSM2 in this process), through invokeKms as
// every door calls it: the deletion sweeper destroys the key object in the
// token when the waiting period ends, and a token whose sessions were lost
// (closed under Keyhold's feet) is logged in to again on the next call.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { DAY_MS, setClock } from "@/lib/kms/clock";
import { invokeKms } from "@/lib/kms/invoke";
import { sweepDueDeletions } from "@/lib/kms/operations/deletion";
import { recordSecret } from "../../secret-registry";
import { closeAllTokenSessions, createSoftHsm, softHsmAvailable, type SoftHsm, selfSignedTrustAnchor } from "../../support/softhsm";
import { callers, rejection, type Callers } from "./fixtures";
import { auditEvents } from "../../support/audit-rows";

const PIN = "sweeper-test-pin-7";
const LABEL = "kh-sweeper";
const TRUST_ANCHOR = selfSignedTrustAnchor("keyhold-sweeper-hsm");

let hsm: SoftHsm;
let c: Callers;
let storeId: string;
const call = async <T = Record<string, unknown>>(op: string, caller: Principal, input: unknown) =>
  (await invokeKms(op, caller, input, { source: "console" })) as T;
const keyObjects = (keyId: string) => {
  const listed = hsm.pkcs11Tool(["--token-label", LABEL, "--login", "--pin", PIN, "--list-objects", "--type", "secrkey"]);
  expect(listed.status).toBe(0);
  return listed.stdout.split(`label:      ${keyId}`).length - 1;
};

describe.skipIf(!softHsmAvailable())("keys in a custom key store", () => {
  beforeAll(async () => {
    recordSecret(PIN, "sweeper test PIN");
    hsm = createSoftHsm();
    hsm.initToken(LABEL, PIN);
    // Before the PKCS#11 library is first loaded in this process: it reads SOFTHSM2_CONF at C_Initialize.
    Object.assign(process.env, hsm.env);
    c = await callers();
    ({ CustomKeyStoreId: storeId } = await call<{ CustomKeyStoreId: string }>("CreateCustomKeyStore", c.admin, {
      CustomKeyStoreName: `sweeper-${Date.now()}`,
      CloudHsmClusterId: LABEL,
      KeyStorePassword: PIN,
      TrustAnchorCertificate: TRUST_ANCHOR,
    }));
    await call("ConnectCustomKeyStore", c.admin, { CustomKeyStoreId: storeId });
  });
  afterAll(() => {
    setClock(undefined);
    hsm?.cleanup();
  });

  it("logs in again when the token lost its sessions", async () => {
    const { KeyMetadata } = await call<{ KeyMetadata: { KeyId: string } }>("CreateKey", c.keyAdmin, { CustomKeyStoreId: storeId, Origin: "AWS_CLOUDHSM" });
    const first = await call<{ CiphertextBlob: Uint8Array }>("Encrypt", c.keyUser, { KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from("first") });
    // Every session of this application on the token is closed (as when an HSM restarts).
    await closeAllTokenSessions(LABEL);
    const second = await call<{ CiphertextBlob: Uint8Array }>("Encrypt", c.keyUser, { KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from("second") });
    for (const [blob, text] of [[first.CiphertextBlob, "first"], [second.CiphertextBlob, "second"]] as const) {
      const out = await call<{ Plaintext: Uint8Array }>("Decrypt", c.keyUser, { CiphertextBlob: blob });
      expect(Buffer.from(out.Plaintext).toString()).toBe(text);
    }
  });

  it("destroys the key object in the HSM when the deletion window ends", async () => {
    const T0 = new Date();
    setClock(() => T0);
    const { KeyMetadata } = await call<{ KeyMetadata: { KeyId: string } }>("CreateKey", c.keyAdmin, { CustomKeyStoreId: storeId, Origin: "AWS_CLOUDHSM" });
    const keyId = KeyMetadata.KeyId;
    expect(keyObjects(keyId)).toBe(1);
    expect(await prisma.keyMaterial.count({ where: { keyId } })).toBe(0);
    const blob = (await call<{ CiphertextBlob: Uint8Array }>("Encrypt", c.keyUser, { KeyId: keyId, Plaintext: Buffer.from("doomed") })).CiphertextBlob;
    await call("ScheduleKeyDeletion", c.keyAdmin, { KeyId: keyId, PendingWindowInDays: 7 });
    // The store cannot be deleted while the key exists, pending deletion or not.
    await call("DisconnectCustomKeyStore", c.admin, { CustomKeyStoreId: storeId });
    expect((await rejection(call("DeleteCustomKeyStore", c.admin, { CustomKeyStoreId: storeId }))).name).toBe("CustomKeyStoreHasCMKsException");
    await call("ConnectCustomKeyStore", c.admin, { CustomKeyStoreId: storeId });

    setClock(() => new Date(T0.getTime() + 7 * DAY_MS - 1));
    await sweepDueDeletions();
    expect(keyObjects(keyId)).toBe(1);

    setClock(() => new Date(T0.getTime() + 7 * DAY_MS + 1));
    expect(await sweepDueDeletions()).toBeGreaterThanOrEqual(1);
    expect(keyObjects(keyId)).toBe(0);
    expect((await rejection(call("Decrypt", c.keyUser, { CiphertextBlob: blob }))).name).toBe("NotFoundException");
    const deleted = (await auditEvents({ where: { eventName: "DeleteKey" } }, keyId)).length;
    expect(deleted).toBe(1);
  });
});
