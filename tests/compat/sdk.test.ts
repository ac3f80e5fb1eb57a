// The official AWS SDK for JavaScript v3 against a running Keyhold.
import { randomBytes } from "node:crypto";
import {
  AlreadyExistsException,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisabledException,
  EnableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  IncorrectKeyException,
  InvalidCiphertextException,
  InvalidKeyUsageException,
  KMSClient,
  KMSInvalidStateException,
  ListKeysCommand,
  NotFoundException,
  UnsupportedOperationException,
  UpdateKeyDescriptionCommand,
  ReplicateKeyCommand,
  CreateCustomKeyStoreCommand,
  KMSServiceException,
  DryRunOperationException,
} from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordSdkSecrets } from "../secret-registry";
import { ADMIN_KEY, makeApiUser, REGION, startApiServer, type TestServer } from "./server";

let server: TestServer;
let kms: KMSClient;
const clientFor = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
  recordSdkSecrets(new KMSClient({ endpoint: server.endpoint, region: REGION, credentials, maxAttempts: 1 }));

beforeAll(async () => {
  server = await startApiServer();
  kms = clientFor(ADMIN_KEY);
});
afterAll(async () => {
  kms?.destroy();
  await server?.stop();
});

/** ValidationException is not modelled by the SDK: it arrives as a KMSServiceException with that name. */
async function expectValidation(p: Promise<unknown>): Promise<void> {
  const e = await expectError(p, KMSServiceException);
  expect((e as Error).name).toBe("ValidationException");
  expect((e as Error).message).toMatch(/validation error|specify/);
}

async function expectError<T>(p: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(type);
    return e as T;
  }
  throw new Error(`expected ${type.name}`);
}

describe("AWS SDK v3 (@aws-sdk/client-kms)", () => {
  it("creates, describes and lists keys with full ARNs", async () => {
    const created = await kms.send(new CreateKeyCommand({ Description: "sdk key", Tags: [{ TagKey: "team", TagValue: "a" }] }));
    const md = created.KeyMetadata!;
    expect(md.Arn).toMatch(/^arn:aws:kms:us-east-1:\d{12}:key\/[0-9a-f-]{36}$/);
    expect(md).toMatchObject({ KeySpec: "SYMMETRIC_DEFAULT", KeyUsage: "ENCRYPT_DECRYPT", KeyState: "Enabled", Enabled: true, KeyManager: "CUSTOMER", Origin: "AWS_KMS" });
    expect(md.CreationDate).toBeInstanceOf(Date);
    const described = await kms.send(new DescribeKeyCommand({ KeyId: md.Arn }));
    expect(described.KeyMetadata!.KeyId).toBe(md.KeyId);
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: md.KeyId, Description: "renamed" }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.Description).toBe("renamed");

    const seen = new Set<string>();
    let marker: string | undefined;
    do {
      const page = await kms.send(new ListKeysCommand({ Limit: 1, Marker: marker }));
      page.Keys!.forEach((k) => seen.add(k.KeyId!));
      marker = page.Truncated ? page.NextMarker : undefined;
    } while (marker);
    expect(seen.has(md.KeyId!)).toBe(true);
  });

  it("encrypts and decrypts with an encryption context compared as an unordered map", async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const plaintext = randomBytes(100);
    const enc = await kms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: plaintext, EncryptionContext: { a: "1", b: "2" } }));
    expect(enc.KeyId).toBe(KeyMetadata!.Arn);
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { b: "2", a: "1" } }));
    expect(Buffer.from(dec.Plaintext!)).toEqual(plaintext);
    expect(dec.KeyId).toBe(KeyMetadata!.Arn);
    await expectError(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { a: "1" } })), InvalidCiphertextException);
    const tampered = Buffer.from(enc.CiphertextBlob!);
    tampered[tampered.length - 1]! ^= 1;
    await expectError(kms.send(new DecryptCommand({ CiphertextBlob: tampered, EncryptionContext: { a: "1", b: "2" } })), InvalidCiphertextException);
    const other = await kms.send(new CreateKeyCommand({}));
    await expectError(
      kms.send(new DecryptCommand({ KeyId: other.KeyMetadata!.KeyId, CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { a: "1", b: "2" } })),
      IncorrectKeyException,
    );
  });

  it("generates data keys with and without plaintext", async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: KeyMetadata!.KeyId, KeySpec: "AES_256", EncryptionContext: { p: "q" } }));
    expect(dk.Plaintext).toHaveLength(32);
    const back = await kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: { p: "q" } }));
    expect(Buffer.from(back.Plaintext!)).toEqual(Buffer.from(dk.Plaintext!));
    const wo = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: KeyMetadata!.KeyId, NumberOfBytes: 64 }));
    expect(wo).not.toHaveProperty("Plaintext");
    expect((await kms.send(new DecryptCommand({ CiphertextBlob: wo.CiphertextBlob }))).Plaintext).toHaveLength(64);
    await expectValidation(kms.send(new GenerateDataKeyCommand({ KeyId: KeyMetadata!.KeyId })));
  });

  it("maps every documented error to its SDK exception class", async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    await expectError(kms.send(new DescribeKeyCommand({ KeyId: "alias/does-not-exist" })), NotFoundException);
    await expectError(kms.send(new DescribeKeyCommand({ KeyId: "11111111-2222-3333-4444-555555555555" })), NotFoundException);
    await kms.send(new DisableKeyCommand({ KeyId: keyId }));
    await expectError(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("x") })), DisabledException);
    await kms.send(new EnableKeyCommand({ KeyId: keyId }));
    await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("x") }));
    await expectValidation(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.alloc(4097) })));
    await expectError(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("x"), DryRun: true })), DryRunOperationException);
    await expectError(kms.send(new DecryptCommand({ CiphertextBlob: randomBytes(80) })), InvalidCiphertextException);
    const sign = await kms.send(new CreateKeyCommand({ KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" }));
    await expectError(kms.send(new EncryptCommand({ KeyId: sign.KeyMetadata!.KeyId, Plaintext: Buffer.from("x") })), InvalidKeyUsageException);
    const pendingImport = await kms.send(new CreateKeyCommand({ Origin: "EXTERNAL" }));
    expect(pendingImport.KeyMetadata!.KeyState).toBe("PendingImport");
    await expectError(kms.send(new EncryptCommand({ KeyId: pendingImport.KeyMetadata!.KeyId, Plaintext: Buffer.from("x") })), KMSInvalidStateException);
    await expectError(kms.send(new CreateKeyCommand({ MultiRegion: true })), UnsupportedOperationException);
    await expectError(kms.send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: "eu-west-1" })), UnsupportedOperationException);
    await expectError(kms.send(new CreateCustomKeyStoreCommand({ CustomKeyStoreName: "x", CustomKeyStoreType: "EXTERNAL_KEY_STORE" })), UnsupportedOperationException);
    const alias = `alias/sdk-errors-${Date.now()}`;
    await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
    const dup = await expectError(kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId })), AlreadyExistsException);
    expect(dup.message).toContain(alias);
  });

  it("enforces roles: a key user cannot create keys, an auditor cannot encrypt", async () => {
    const user = clientFor(makeApiUser(server, `sdk-user-${Date.now()}`, "key-user"));
    const auditor = clientFor(makeApiUser(server, `sdk-auditor-${Date.now()}`, "auditor"));
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const e = await user.send(new CreateKeyCommand({})).catch((x) => x);
    expect(e.name).toBe("AccessDeniedException");
    expect(e.$metadata.httpStatusCode).toBe(400);
    await user.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: Buffer.from("ok") }));
    const d = await auditor.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: Buffer.from("x") })).catch((x) => x);
    expect(d.name).toBe("AccessDeniedException");
    expect((await auditor.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId }))).KeyMetadata!.KeyId).toBe(KeyMetadata!.KeyId);
    user.destroy();
    auditor.destroy();
  });
});
