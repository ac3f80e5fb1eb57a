// Custom key stores on a real SoftHSM2 token through the official AWS SDK
// against a running API server: every custom-key-store operation, the
// cryptographic operations on a key that lives in the HSM, AWS's exceptions
// (checked with instanceof), the proof with pkcs11-tool that the key is
// sensitive and cannot be exported, and that no key material row holds it.
import {
  CloudHsmClusterInUseException,
  CloudHsmClusterNotFoundException,
  ConnectCustomKeyStoreCommand,
  CreateCustomKeyStoreCommand,
  CreateKeyCommand,
  CustomKeyStoreHasCMKsException,
  CustomKeyStoreInvalidStateException,
  CustomKeyStoreNameInUseException,
  CustomKeyStoreNotFoundException,
  DecryptCommand,
  DeleteCustomKeyStoreCommand,
  DescribeCustomKeyStoresCommand,
  DescribeKeyCommand,
  DisconnectCustomKeyStoreCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateRandomCommand,
  IncorrectTrustAnchorException,
  InvalidCiphertextException,
  KMSClient,
  KMSInvalidStateException,
  ReEncryptCommand,
  RotateKeyOnDemandCommand,
  UnsupportedOperationException,
  UpdateCustomKeyStoreCommand,
} from "@aws-sdk/client-kms";
import { createPrivateKey } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordSecret } from "../secret-registry";
import { createSoftHsm, softHsmAvailable, type SoftHsm, selfSignedTrustAnchor } from "../support/softhsm";
import { rejects } from "./rejects";
import { ADMIN_KEY, makeApiUser, REGION, startApiServer, type TestServer } from "./server";
import { decodeRecord } from "@/lib/db/audit-record-codec.mjs";

const PIN = "user-pin-4711-a";
const OTHER_PIN = "user-pin-0815-b";
const TRUST_ANCHOR = selfSignedTrustAnchor("keyhold-test-hsm");

let hsm: SoftHsm;
let server: TestServer;
let kms: KMSClient;

async function dbQuery<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  if (!server.env.DATABASE_URL) throw new Error("these checks read the server's PostgreSQL database");
  const c = new pg.Client({ connectionString: server.env.DATABASE_URL });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

const describeStore = async (id: string) => (await kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId: id }))).CustomKeyStores![0]!;

/** The SDK has no class for AccessDeniedException: it is a KMSServiceException with that name. */
async function denied(p: Promise<unknown>): Promise<void> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect((e as Error | undefined)?.name).toBe("AccessDeniedException");
}

describe.skipIf(!softHsmAvailable() || !process.env.DATABASE_URL)("AWS SDK: custom key stores on SoftHSM2", () => {
  beforeAll(async () => {
    recordSecret(PIN, "custom key store PIN");
    recordSecret(OTHER_PIN, "custom key store PIN (other)");
    hsm = createSoftHsm();
    hsm.initToken("kh-hsm-a", PIN);
    hsm.initToken("kh-hsm-b", OTHER_PIN);
    server = await startApiServer({ env: hsm.env });
    kms = new KMSClient({ endpoint: server.endpoint, region: REGION, credentials: ADMIN_KEY, maxAttempts: 1 });
  });
  afterAll(async () => {
    kms?.destroy();
    await server?.stop();
    hsm?.cleanup();
  });

  let storeId: string;
  let keyId: string;

  it("creates a store for a token (bad input answers AWS's exceptions) and lists it", async () => {
    const created = await kms.send(
      new CreateCustomKeyStoreCommand({ CustomKeyStoreName: "vault-a", CloudHsmClusterId: "kh-hsm-a", KeyStorePassword: PIN, TrustAnchorCertificate: TRUST_ANCHOR }),
    );
    storeId = created.CustomKeyStoreId!;
    expect(storeId).toMatch(/^cks-[0-9a-f]{17}$/);
    expect(await describeStore(storeId)).toMatchObject({
      CustomKeyStoreName: "vault-a",
      CloudHsmClusterId: "kh-hsm-a",
      CustomKeyStoreType: "AWS_CLOUDHSM",
      ConnectionState: "DISCONNECTED",
      TrustAnchorCertificate: TRUST_ANCHOR,
    });
    const again = { CloudHsmClusterId: "kh-hsm-b", KeyStorePassword: OTHER_PIN, TrustAnchorCertificate: TRUST_ANCHOR };
    await rejects(kms.send(new CreateCustomKeyStoreCommand({ CustomKeyStoreName: "vault-a", ...again })), CustomKeyStoreNameInUseException);
    await rejects(
      kms.send(new CreateCustomKeyStoreCommand({ CustomKeyStoreName: "x", CloudHsmClusterId: "kh-hsm-a", KeyStorePassword: PIN, TrustAnchorCertificate: TRUST_ANCHOR })),
      CloudHsmClusterInUseException,
    );
    await rejects(
      kms.send(new CreateCustomKeyStoreCommand({ CustomKeyStoreName: "nowhere", ...again, CloudHsmClusterId: "no-such-token" })),
      CloudHsmClusterNotFoundException,
    );
    await rejects(
      kms.send(new CreateCustomKeyStoreCommand({ CustomKeyStoreName: "bad-anchor", ...again, TrustAnchorCertificate: "not a certificate" })),
      IncorrectTrustAnchorException,
    );
    await rejects(
      kms.send(new CreateCustomKeyStoreCommand({ CustomKeyStoreName: "xks", CustomKeyStoreType: "EXTERNAL_KEY_STORE", XksProxyConnectivity: "PUBLIC_ENDPOINT" })),
      UnsupportedOperationException,
    );
    await rejects(kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId: "cks-00000000000000000" })), CustomKeyStoreNotFoundException);
    await rejects(kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: "cks-00000000000000000" })), CustomKeyStoreNotFoundException);
  });

  it("refuses keys while disconnected, and creates them inside the token once connected", async () => {
    await rejects(kms.send(new CreateKeyCommand({ CustomKeyStoreId: storeId, Origin: "AWS_CLOUDHSM" })), CustomKeyStoreInvalidStateException);
    await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId }));
    expect(await describeStore(storeId)).toMatchObject({ ConnectionState: "CONNECTED" });
    await rejects(
      kms.send(new CreateKeyCommand({ CustomKeyStoreId: storeId, Origin: "AWS_CLOUDHSM", KeySpec: "RSA_2048", KeyUsage: "ENCRYPT_DECRYPT" })),
      UnsupportedOperationException,
    );

    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ CustomKeyStoreId: storeId, Origin: "AWS_CLOUDHSM", Description: "in the HSM" }));
    keyId = KeyMetadata!.KeyId!;
    expect(KeyMetadata).toMatchObject({ Origin: "AWS_CLOUDHSM", CustomKeyStoreId: storeId, CloudHsmClusterId: "kh-hsm-a", KeyState: "Enabled" });
    const described = (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
    expect(described).toMatchObject({ Origin: "AWS_CLOUDHSM", CustomKeyStoreId: storeId, CloudHsmClusterId: "kh-hsm-a" });

    // The key is in the token, sensitive and never extractable, labelled with the key ID.
    const listed = hsm.pkcs11Tool(["--token-label", "kh-hsm-a", "--login", "--pin", PIN, "--list-objects", "--type", "secrkey"]);
    expect(listed.status).toBe(0);
    const entry = listed.stdout.split("Secret Key Object").find((block) => block.includes(`label:      ${keyId}`));
    expect(entry, listed.stdout).toBeDefined();
    expect(entry).toContain("AES length 32");
    expect(entry).toMatch(/Access:\s+sensitive, always sensitive, never extractable, local/);
    // An export attempt fails inside the token.
    const exported = hsm.pkcs11Tool(["--token-label", "kh-hsm-a", "--login", "--pin", PIN, "--read-object", "--type", "secrkey", "--label", keyId]);
    expect(exported.status).not.toBe(0);
    expect(exported.stderr).toContain("CKR_ATTRIBUTE_SENSITIVE");
    // Nothing of the key is in the database but its metadata.
    expect(await dbQuery(`SELECT 1 FROM "KeyMaterial" WHERE "keyId" = $1`, [keyId])).toHaveLength(0);
    const rows = await dbQuery<{ customKeyStoreId: string; origin: string }>(`SELECT "customKeyStoreId", origin FROM "KmsKey" WHERE id = $1`, [keyId]);
    expect(rows).toEqual([{ customKeyStoreId: storeId, origin: "AWS_CLOUDHSM" }]);
    // The PIN is kept only wrapped.
    const [store] = await dbQuery<{ passwordWrapped: Buffer }>(`SELECT "passwordWrapped" FROM "CustomKeyStore" WHERE id = $1`, [storeId]);
    expect(store!.passwordWrapped.includes(Buffer.from(PIN))).toBe(false);
  });

  it("leaves no object in the token when CreateKey cannot be recorded (its audit event fails, the key is destroyed again)", async () => {
    const secretKeys = () => {
      const listed = hsm.pkcs11Tool(["--token-label", "kh-hsm-a", "--login", "--pin", PIN, "--list-objects", "--type", "secrkey"]);
      expect(listed.status).toBe(0);
      return listed.stdout.split("Secret Key Object").length - 1;
    };
    const before = secretKeys();
    const keysBefore = await dbQuery(`SELECT id FROM "KmsKey"`);
    await dbQuery(`CREATE OR REPLACE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit table is read-only'; END $$`);
    await dbQuery(`CREATE TRIGGER audit_unwritable BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION audit_refuse()`);
    try {
      const e = await kms.send(new CreateKeyCommand({ CustomKeyStoreId: storeId, Origin: "AWS_CLOUDHSM" })).then(() => undefined, (x: unknown) => x);
      expect((e as Error | undefined)?.name).toBe("KMSInternalException");
    } finally {
      await dbQuery(`DROP TRIGGER IF EXISTS audit_unwritable ON "AuditEvent"`);
    }
    // The refused call answered only after the clean-up: the token holds what it held before.
    expect(secretKeys()).toBe(before);
    expect(await dbQuery(`SELECT id FROM "KmsKey"`)).toEqual(keysBefore);
  });

  it("encrypts, decrypts, re-encrypts and makes data keys inside the HSM", async () => {
    const plaintext = Buffer.from("secret handled by the HSM key 01");
    recordSecret(plaintext, "hsm plaintext");
    const context = { purpose: "custom-key-store-test" };
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: context }));
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: context }));
    expect(Buffer.from(decrypted.Plaintext!)).toEqual(plaintext);
    expect(decrypted.KeyId).toContain(keyId);
    await rejects(kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { purpose: "other" } })), InvalidCiphertextException);
    const tampered = Buffer.from(CiphertextBlob!);
    tampered[tampered.length - 1]! ^= 1;
    await rejects(kms.send(new DecryptCommand({ CiphertextBlob: tampered, EncryptionContext: context })), InvalidCiphertextException);

    // ReEncrypt to a software key and back into the HSM key.
    const software = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const out = await kms.send(
      new ReEncryptCommand({ CiphertextBlob, SourceEncryptionContext: context, DestinationKeyId: software, DestinationEncryptionContext: context }),
    );
    const back = await kms.send(
      new ReEncryptCommand({ CiphertextBlob: out.CiphertextBlob, SourceEncryptionContext: context, DestinationKeyId: keyId }),
    );
    expect(back.SourceKeyId).toContain(software);
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: back.CiphertextBlob }))).Plaintext!)).toEqual(plaintext);

    const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: "AES_256" }));
    recordSecret(dataKey.Plaintext, "hsm data key");
    const unwrapped = await kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }));
    expect(Buffer.from(unwrapped.Plaintext!)).toEqual(Buffer.from(dataKey.Plaintext!));
    const noPlain = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, NumberOfBytes: 24 }));
    expect((await kms.send(new DecryptCommand({ CiphertextBlob: noPlain.CiphertextBlob }))).Plaintext).toHaveLength(24);

    const pair = await kms.send(new GenerateDataKeyPairCommand({ KeyId: keyId, KeyPairSpec: "ECC_NIST_P256" }));
    recordSecret(pair.PrivateKeyPlaintext, "hsm data key pair private key");
    const privateDer = (await kms.send(new DecryptCommand({ CiphertextBlob: pair.PrivateKeyCiphertextBlob }))).Plaintext!;
    expect(Buffer.from(privateDer)).toEqual(Buffer.from(pair.PrivateKeyPlaintext!));
    expect(createPrivateKey({ key: Buffer.from(privateDer), format: "der", type: "pkcs8" }).asymmetricKeyType).toBe("ec");

    const random = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 32, CustomKeyStoreId: storeId }));
    expect(random.Plaintext).toHaveLength(32);
    await rejects(kms.send(new GenerateRandomCommand({ NumberOfBytes: 32, CustomKeyStoreId: "cks-00000000000000000" })), CustomKeyStoreNotFoundException);

    await rejects(kms.send(new EnableKeyRotationCommand({ KeyId: keyId })), UnsupportedOperationException);
    await rejects(kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId })), UnsupportedOperationException);
  });

  it("makes its keys unavailable while disconnected and works again after Connect", async () => {
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("before the disconnect") }));
    await rejects(kms.send(new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: storeId })), CustomKeyStoreInvalidStateException);
    await rejects(kms.send(new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: storeId, KeyStorePassword: PIN })), CustomKeyStoreInvalidStateException);
    await kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId }));
    expect(await describeStore(storeId)).toMatchObject({ ConnectionState: "DISCONNECTED" });
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState).toBe("Unavailable");
    await rejects(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("x") })), KMSInvalidStateException);
    await rejects(kms.send(new DecryptCommand({ CiphertextBlob })), KMSInvalidStateException);
    await rejects(kms.send(new GenerateRandomCommand({ NumberOfBytes: 8, CustomKeyStoreId: storeId })), CustomKeyStoreInvalidStateException);
    await rejects(kms.send(new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: storeId })), CustomKeyStoreHasCMKsException);

    // Name, password (the same PIN) may change while disconnected.
    await kms.send(new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: storeId, NewCustomKeyStoreName: "vault-a2", KeyStorePassword: PIN }));
    await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId }));
    expect(await describeStore(storeId)).toMatchObject({ ConnectionState: "CONNECTED", CustomKeyStoreName: "vault-a2" });
    const again = await kms.send(new DecryptCommand({ CiphertextBlob }));
    expect(Buffer.from(again.Plaintext!).toString()).toBe("before the disconnect");
  });

  it("reports a wrong PIN as INVALID_CREDENTIALS; fixed with UpdateCustomKeyStore; pages with Limit/Marker", async () => {
    const { CustomKeyStoreId: other } = await kms.send(
      new CreateCustomKeyStoreCommand({ CustomKeyStoreName: "vault-b", CloudHsmClusterId: "kh-hsm-b", KeyStorePassword: "wrong-pin-123", TrustAnchorCertificate: TRUST_ANCHOR }),
    );
    await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: other }));
    expect(await describeStore(other!)).toMatchObject({ ConnectionState: "FAILED", ConnectionErrorCode: "INVALID_CREDENTIALS" });
    await rejects(kms.send(new CreateKeyCommand({ CustomKeyStoreId: other, Origin: "AWS_CLOUDHSM" })), CustomKeyStoreInvalidStateException);
    await kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: other }));
    await kms.send(new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: other, KeyStorePassword: OTHER_PIN }));
    await kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: other }));
    expect(await describeStore(other!)).toMatchObject({ ConnectionState: "CONNECTED" });
    expect((await describeStore(other!)).ConnectionErrorCode).toBeUndefined();

    const first = await kms.send(new DescribeCustomKeyStoresCommand({ Limit: 1 }));
    expect(first.CustomKeyStores).toHaveLength(1);
    expect(first.Truncated).toBe(true);
    const second = await kms.send(new DescribeCustomKeyStoresCommand({ Limit: 1, Marker: first.NextMarker }));
    expect(second.CustomKeyStores).toHaveLength(1);
    expect(second.CustomKeyStores![0]!.CustomKeyStoreId).not.toBe(first.CustomKeyStores![0]!.CustomKeyStoreId);
    expect(second.Truncated).toBe(false);

    await kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: other }));
    await kms.send(new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: other }));
    await rejects(kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId: other })), CustomKeyStoreNotFoundException);
  });

  it("keeps custom key stores from the key administrator role (separation of duties), and audits every call without the PIN", async () => {
    const creds = makeApiUser(server, "cks-key-admin", "key-administrator");
    const keyAdmin = new KMSClient({ endpoint: server.endpoint, region: REGION, credentials: creds, maxAttempts: 1 });
    try {
      await denied(
        keyAdmin.send(new CreateCustomKeyStoreCommand({ CustomKeyStoreName: "mine", CloudHsmClusterId: "kh-hsm-b", KeyStorePassword: OTHER_PIN, TrustAnchorCertificate: TRUST_ANCHOR })),
      );
      await denied(keyAdmin.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId })));
      // They may see the stores and create keys in them.
      expect((await keyAdmin.send(new DescribeCustomKeyStoresCommand({}))).CustomKeyStores!.length).toBeGreaterThan(0);
      const made = await keyAdmin.send(new CreateKeyCommand({ CustomKeyStoreId: storeId, Origin: "AWS_CLOUDHSM" }));
      expect(made.KeyMetadata!.CustomKeyStoreId).toBe(storeId);
    } finally {
      keyAdmin.destroy();
    }
    const events = (
      await dbQuery<{ eventName: string; eventId: string; record: string | null; body: Uint8Array | null }>(
        `SELECT "eventName", "eventId"::text AS "eventId", record, body FROM "AuditEvent" WHERE "eventName" LIKE '%CustomKeyStore%' ORDER BY id`,
      )
    ).map((e) => ({ eventName: e.eventName, record: decodeRecord(e) }));
    const names = new Set(events.map((e) => e.eventName));
    for (const op of ["CreateCustomKeyStore", "ConnectCustomKeyStore", "DisconnectCustomKeyStore", "UpdateCustomKeyStore", "DeleteCustomKeyStore", "DescribeCustomKeyStores"]) {
      expect(names, op).toContain(op);
    }
    expect(events.some((e) => e.record.includes("AccessDeniedException") && e.eventName === "CreateCustomKeyStore")).toBe(true);
    for (const e of events) {
      expect(e.record).not.toContain(PIN);
      expect(e.record).not.toContain(OTHER_PIN);
    }
  });
});
