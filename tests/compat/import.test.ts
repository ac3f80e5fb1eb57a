// Bring your own key and GetKeyLastUsage through the official AWS SDK against
// a running API server, as an AWS user would do it (material wrapped outside
// the service with node:crypto, as with openssl), exceptions checked with
// instanceof the SDK's classes.
import { randomBytes } from "node:crypto";
import {
  CreateKeyCommand,
  DecryptCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  ExpiredImportTokenException,
  GetKeyLastUsageCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  IncorrectKeyMaterialException,
  InvalidCiphertextException,
  InvalidImportTokenException,
  KMSClient,
  KMSInvalidStateException,
  UnsupportedOperationException,
  type AlgorithmSpec,
} from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WRAPPING_ALGORITHMS, wrapForImport } from "../kms/lifecycle/import-wrap";
import { ADMIN_KEY, REGION, startApiServer, type TestServer } from "./server";
import { rejects } from "./rejects";

let server: TestServer;
let kms: KMSClient;
beforeAll(async () => {
  server = await startApiServer();
  kms = new KMSClient({ endpoint: server.endpoint, region: REGION, credentials: ADMIN_KEY, maxAttempts: 1 });
});
afterAll(async () => {
  kms?.destroy();
  await server?.stop();
});

async function importMaterial(keyId: string, material: Uint8Array, algorithm: AlgorithmSpec = "RSAES_OAEP_SHA_256") {
  const params = await kms.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: algorithm, WrappingKeySpec: "RSA_2048" }));
  return kms.send(
    new ImportKeyMaterialCommand({
      KeyId: keyId,
      ImportToken: params.ImportToken,
      EncryptedKeyMaterial: wrapForImport(params.PublicKey!, algorithm as (typeof WRAPPING_ALGORITHMS)[number], material),
      ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
    }),
  );
}

describe("AWS SDK: bring your own key", () => {
  it.each(WRAPPING_ALGORITHMS)("%s: import, encrypt, delete, re-import", async (algorithm) => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Origin: "EXTERNAL", Description: `byok ${algorithm}` }));
    const keyId = KeyMetadata!.KeyId!;
    expect(KeyMetadata).toMatchObject({ Origin: "EXTERNAL", KeyState: "PendingImport" });

    const params = await kms.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: algorithm, WrappingKeySpec: "RSA_3072" }));
    expect(params.KeyId).toBe(KeyMetadata!.Arn);
    expect(params.ParametersValidTo!.getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
    const material = randomBytes(32);
    const imported = await kms.send(
      new ImportKeyMaterialCommand({
        KeyId: keyId,
        ImportToken: params.ImportToken,
        EncryptedKeyMaterial: wrapForImport(params.PublicKey!, algorithm, material),
        ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
      }),
    );
    expect(imported.KeyId).toBe(KeyMetadata!.Arn);
    expect(imported.KeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    const described = (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
    expect(described).toMatchObject({ KeyState: "Enabled", ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE" });

    const ct = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("hello byok") }));
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob }))).Plaintext!).toString()).toBe("hello byok");

    await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: keyId }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState).toBe("PendingImport");
    await rejects(kms.send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob })), KMSInvalidStateException);

    await rejects(importMaterial(keyId, randomBytes(32)), IncorrectKeyMaterialException);
    await importMaterial(keyId, material, "RSA_AES_KEY_WRAP_SHA_1");
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob }))).Plaintext!).toString()).toBe("hello byok");
  });

  it("answers token, ciphertext and origin errors with the SDK's exception classes", async () => {
    const keyId = (await kms.send(new CreateKeyCommand({ Origin: "EXTERNAL" }))).KeyMetadata!.KeyId!;
    const params = await kms.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: "RSAES_OAEP_SHA_1", WrappingKeySpec: "RSA_2048" }));
    const wrapped = wrapForImport(params.PublicKey!, "RSAES_OAEP_SHA_1", randomBytes(32));
    const forged = Buffer.from(params.ImportToken!);
    forged[10]! ^= 0xff;
    await rejects(kms.send(new ImportKeyMaterialCommand({ KeyId: keyId, ImportToken: forged, EncryptedKeyMaterial: wrapped })), InvalidImportTokenException);
    await rejects(
      kms.send(new ImportKeyMaterialCommand({ KeyId: keyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: randomBytes(256) })),
      InvalidCiphertextException,
    );
    const kmsKey = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await rejects(
      kms.send(new GetParametersForImportCommand({ KeyId: kmsKey, WrappingAlgorithm: "RSAES_OAEP_SHA_256", WrappingKeySpec: "RSA_2048" })),
      UnsupportedOperationException,
    );
    await importMaterial(keyId, randomBytes(32));
    await rejects(kms.send(new EnableKeyRotationCommand({ KeyId: keyId })), UnsupportedOperationException);
    // The SDK knows the expired-token class; that path is covered with a frozen clock in tests/kms/lifecycle/import.test.ts.
    expect(ExpiredImportTokenException).toBeDefined();
  });
});

describe("AWS SDK: GetKeyLastUsage", () => {
  it("reports the Encrypt that last used the key", async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    const fresh = await kms.send(new GetKeyLastUsageCommand({ KeyId: keyId }));
    expect(fresh.KeyId).toBe(KeyMetadata!.Arn);
    expect(fresh.KeyLastUsage).toBeUndefined();
    expect(fresh.KeyCreationDate).toEqual(KeyMetadata!.CreationDate);
    expect(fresh.TrackingStartDate!.getTime()).toBeLessThanOrEqual(Date.now());

    const enc = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("tracked") }));
    const usage = await kms.send(new GetKeyLastUsageCommand({ KeyId: KeyMetadata!.Arn }));
    expect(usage.KeyLastUsage).toMatchObject({ Operation: "Encrypt", KmsRequestId: enc.$metadata.requestId });
    expect(usage.KeyLastUsage!.CloudTrailEventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(usage.KeyLastUsage!.Timestamp).toBeInstanceOf(Date);
    // (That the event ID is the trail's own for that Encrypt is checked in tests/kms/lifecycle/import-audit.test.ts.)
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    const later = await kms.send(new GetKeyLastUsageCommand({ KeyId: keyId }));
    expect(later.KeyLastUsage).toMatchObject({ Operation: "Decrypt", KmsRequestId: dec.$metadata.requestId });
    expect(later.KeyLastUsage!.CloudTrailEventId).not.toBe(usage.KeyLastUsage!.CloudTrailEventId);
  });
});
