// Bring your own key and GetKeyLastUsage through the official AWS SDK against
// a running API server, as an AWS user would do it (material wrapped outside
// the service with node:crypto, as with openssl), exceptions checked with
// instanceof the SDK's classes.
import {
  constants,
  createPublicKey,
  generateKeyPairSync,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  sign as nodeSign,
  verify as nodeVerify,
} from "node:crypto";
import {
  CreateKeyCommand,
  DecryptCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisabledException,
  EnableKeyRotationCommand,
  EncryptCommand,
  ExpiredImportTokenException,
  GenerateDataKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GetKeyLastUsageCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  IncorrectKeyMaterialException,
  InvalidCiphertextException,
  InvalidImportTokenException,
  KMSClient,
  KMSInvalidStateException,
  ListKeyRotationsCommand,
  ReEncryptCommand,
  RotateKeyOnDemandCommand,
  SignCommand,
  UnsupportedOperationException,
  VerifyCommand,
  type AlgorithmSpec,
  type KeySpec,
  type SigningAlgorithmSpec,
  type WrappingKeySpec,
} from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WRAPPING_ALGORITHMS, wrapForImport } from "../kms/lifecycle/import-wrap";
import { ADMIN_KEY, REGION, startApiServer, type TestServer } from "./server";
import { rejects } from "./rejects";

/**
 * The call fails with the SDK's exception class `type` (or, for exceptions the SDK has no class
 * for, such as ValidationException, that name) and exactly `message`.
 */
async function rejectsWith<T>(p: Promise<unknown>, type: (new (...args: never[]) => T) | string, message?: string): Promise<void> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (typeof type === "string") expect((e as Error | undefined)?.name).toBe(type);
  else expect(e, `expected ${type.name}`).toBeInstanceOf(type);
  if (message !== undefined) expect((e as Error).message).toBe(message);
}

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

async function importMaterial(
  keyId: string,
  material: Uint8Array,
  algorithm: AlgorithmSpec = "RSAES_OAEP_SHA_256",
  extra: Partial<ConstructorParameters<typeof ImportKeyMaterialCommand>[0]> = {},
  wrappingKeySpec: WrappingKeySpec = "RSA_2048",
) {
  const params = await kms.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: algorithm, WrappingKeySpec: wrappingKeySpec }));
  return kms.send(
    new ImportKeyMaterialCommand({
      KeyId: keyId,
      ImportToken: params.ImportToken,
      EncryptedKeyMaterial: wrapForImport(params.PublicKey!, algorithm as (typeof WRAPPING_ALGORITHMS)[number], material),
      ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
      ...extra,
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
    const noExpiry = { ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE" } as const;
    await rejects(kms.send(new ImportKeyMaterialCommand({ KeyId: keyId, ImportToken: forged, EncryptedKeyMaterial: wrapped, ...noExpiry })), InvalidImportTokenException);
    await rejects(
      kms.send(new ImportKeyMaterialCommand({ KeyId: keyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: randomBytes(256), ...noExpiry })),
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

describe("AWS SDK: imported asymmetric material", () => {
  it("ECC_NIST_P384: import a PKCS#8 private key with RSA_AES_KEY_WRAP_SHA_256, then Sign and GetPublicKey", async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Origin: "EXTERNAL", KeySpec: "ECC_NIST_P384", KeyUsage: "SIGN_VERIFY" }));
    const keyId = KeyMetadata!.KeyId!;
    const pair = generateKeyPairSync("ec", { namedCurve: "secp384r1" });
    const pkcs8 = pair.privateKey.export({ type: "pkcs8", format: "der" });
    const imported = await importMaterial(keyId, pkcs8, "RSA_AES_KEY_WRAP_SHA_256");
    expect(imported.KeyId).toBe(KeyMetadata!.Arn);
    const message = Buffer.from("signed by my own P-384 key");
    const { Signature } = await kms.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: "ECDSA_SHA_384" }));
    expect(nodeVerify("sha384", message, pair.publicKey, Signature!)).toBe(true);
    const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
    expect(Buffer.from(PublicKey!).equals(createPublicKey(pair.privateKey).export({ type: "spki", format: "der" }))).toBe(true);
  });

  /** Every asymmetric spec AWS imports: [spec, usage, how node makes the pair, signing algorithm and its hash, wrapping]. */
  const specs: [KeySpec, "SIGN_VERIFY" | "ENCRYPT_DECRYPT", () => ReturnType<typeof generateKeyPairSync>, SigningAlgorithmSpec | undefined, string | undefined, AlgorithmSpec, WrappingKeySpec][] = [
    ["RSA_2048", "ENCRYPT_DECRYPT", () => generateKeyPairSync("rsa", { modulusLength: 2048 }), undefined, undefined, "RSA_AES_KEY_WRAP_SHA_256", "RSA_2048"],
    ["RSA_3072", "SIGN_VERIFY", () => generateKeyPairSync("rsa", { modulusLength: 3072 }), "RSASSA_PKCS1_V1_5_SHA_384", "sha384", "RSA_AES_KEY_WRAP_SHA_1", "RSA_2048"],
    ["RSA_4096", "ENCRYPT_DECRYPT", () => generateKeyPairSync("rsa", { modulusLength: 4096 }), undefined, undefined, "RSA_AES_KEY_WRAP_SHA_256", "RSA_3072"],
    ["ECC_NIST_P256", "SIGN_VERIFY", () => generateKeyPairSync("ec", { namedCurve: "prime256v1" }), "ECDSA_SHA_256", "sha256", "RSAES_OAEP_SHA_256", "RSA_2048"],
    ["ECC_NIST_P521", "SIGN_VERIFY", () => generateKeyPairSync("ec", { namedCurve: "secp521r1" }), "ECDSA_SHA_512", "sha512", "RSAES_OAEP_SHA_1", "RSA_3072"],
    ["ECC_SECG_P256K1", "SIGN_VERIFY", () => generateKeyPairSync("ec", { namedCurve: "secp256k1" }), "ECDSA_SHA_256", "sha256", "RSA_AES_KEY_WRAP_SHA_256", "RSA_4096"],
  ];

  it.each(specs)("%s %s: import PKCS#8, then GetPublicKey and Sign/Verify or Decrypt", async (keySpec, usage, makePair, signing, hash, wrapping, wrappingKeySpec) => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Origin: "EXTERNAL", KeySpec: keySpec, KeyUsage: usage }));
    const keyId = KeyMetadata!.KeyId!;
    const pair = makePair();
    const pkcs8 = pair.privateKey.export({ type: "pkcs8", format: "der" });
    await importMaterial(keyId, pkcs8, wrapping, {}, wrappingKeySpec);
    const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
    expect(Buffer.from(PublicKey!).equals(createPublicKey(pair.privateKey).export({ type: "spki", format: "der" }))).toBe(true);

    if (signing) {
      const message = Buffer.from(`signed by my own ${keySpec} key`);
      const { Signature } = await kms.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: signing }));
      expect(nodeVerify(hash!, message, pair.publicKey, Signature!)).toBe(true);
      const outside = nodeSign(hash!, message, pair.privateKey);
      const verified = await kms.send(new VerifyCommand({ KeyId: keyId, Message: message, Signature: outside, SigningAlgorithm: signing }));
      expect(verified.SignatureValid).toBe(true);
    } else {
      // Encrypted outside with the public key, decrypted by Keyhold with the imported private key, and back.
      const ct = publicEncrypt({ key: pair.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" }, Buffer.from("to my own RSA key"));
      const dec = await kms.send(new DecryptCommand({ KeyId: keyId, CiphertextBlob: ct, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" }));
      expect(Buffer.from(dec.Plaintext!).toString()).toBe("to my own RSA key");
      const enc = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("back"), EncryptionAlgorithm: "RSAES_OAEP_SHA_1" }));
      expect(privateDecrypt({ key: pair.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" }, enc.CiphertextBlob!).toString()).toBe("back");
    }
  }, 120_000); // RSA key generation (here and for the wrapping key) is slow on a busy machine

  it("a disabled imported RSA key: RotateKeyOnDemand answers DisabledException before the key spec", async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Origin: "EXTERNAL", KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" }));
    const pkcs8 = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "der" });
    await rejectsWith(
      kms.send(new GetParametersForImportCommand({ KeyId: KeyMetadata!.KeyId, WrappingAlgorithm: "RSAES_OAEP_SHA_256", WrappingKeySpec: "RSA_4096" })),
      "ValidationException",
      "RSAES_OAEP_SHA_256 with a RSA_4096 wrapping key cannot be used to import RSA_2048 key material; use RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256.",
    );
    await importMaterial(KeyMetadata!.KeyId!, pkcs8, "RSA_AES_KEY_WRAP_SHA_1");
    await kms.send(new DisableKeyCommand({ KeyId: KeyMetadata!.KeyId }));
    await rejectsWith(kms.send(new RotateKeyOnDemandCommand({ KeyId: KeyMetadata!.KeyId })), DisabledException, `${KeyMetadata!.Arn} is disabled.`);
  });
});

describe("AWS SDK: several imported materials per symmetric key", () => {
  it("NEW_KEY_MATERIAL, RotateKeyOnDemand, key material IDs in responses, and AWS's state errors", async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Origin: "EXTERNAL" }));
    const keyId = KeyMetadata!.KeyId!;
    const arn = KeyMetadata!.Arn!;
    const [m1, m2] = [randomBytes(32), randomBytes(32)];

    // Without ExpirationModel the material expires (AWS's default), so ValidTo is required.
    await rejectsWith(
      importMaterial(keyId, m1, "RSAES_OAEP_SHA_256", { ExpirationModel: undefined }),
      "ValidationException",
      "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES",
    );
    const first = await importMaterial(keyId, m1);
    await rejectsWith(kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId })), KMSInvalidStateException, `No available key material pending rotation for the key: ${arn}.`);
    const ct1 = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("first") }));

    const second = await importMaterial(keyId, m2, "RSA_AES_KEY_WRAP_SHA_256", { ImportType: "NEW_KEY_MATERIAL", KeyMaterialDescription: "2026 material" });
    expect(second.KeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    expect(second.KeyMaterialId).not.toBe(first.KeyMaterialId);
    const third = importMaterial(keyId, randomBytes(32), "RSAES_OAEP_SHA_1", { ImportType: "NEW_KEY_MATERIAL" });
    const thirdError = await third.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(thirdError).toBeInstanceOf(KMSInvalidStateException);
    expect(thirdError!.message).toMatch(
      new RegExp(`^New key material \\(id: [0-9a-f]{64}\\) cannot be imported into KMS key ${arn}, because another key material \\(id: ${second.KeyMaterialId}\\) is pending rotation\\.$`),
    );
    const all = await kms.send(new ListKeyRotationsCommand({ KeyId: keyId, IncludeKeyMaterial: "ALL_KEY_MATERIAL" }));
    expect(all.Rotations!.map((r) => [r.KeyMaterialId, r.KeyMaterialState, r.ImportState, r.KeyMaterialDescription])).toEqual([
      [first.KeyMaterialId, "CURRENT", "IMPORTED", undefined],
      [second.KeyMaterialId, "PENDING_ROTATION", "IMPORTED", "2026 material"],
    ]);

    expect((await kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId }))).KeyId).toBe(arn);
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.CurrentKeyMaterialId).toBe(second.KeyMaterialId);
    const dataKeys = await Promise.all([
      kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: "AES_256" })),
      kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, KeySpec: "AES_256" })),
      kms.send(new GenerateDataKeyPairCommand({ KeyId: keyId, KeyPairSpec: "ECC_NIST_P256" })),
      kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: keyId, KeyPairSpec: "ECC_NIST_P256" })),
    ]);
    expect(dataKeys.map((r) => r.KeyMaterialId)).toEqual(Array(4).fill(second.KeyMaterialId));
    const old = await kms.send(new DecryptCommand({ CiphertextBlob: ct1.CiphertextBlob }));
    expect([Buffer.from(old.Plaintext!).toString(), old.KeyMaterialId]).toEqual(["first", first.KeyMaterialId]);
    const re = await kms.send(new ReEncryptCommand({ CiphertextBlob: ct1.CiphertextBlob, DestinationKeyId: keyId }));
    expect([re.SourceKeyMaterialId, re.DestinationKeyMaterialId]).toEqual([first.KeyMaterialId, second.KeyMaterialId]);
    const rotations = await kms.send(new ListKeyRotationsCommand({ KeyId: keyId }));
    expect(rotations.Rotations!.map((r) => [r.KeyMaterialId, r.RotationType, r.KeyMaterialState])).toEqual([[second.KeyMaterialId, "ON_DEMAND", "CURRENT"]]);

    // With the current material deleted the key is pending import.
    const deleted = await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: keyId }));
    expect(deleted).toMatchObject({ KeyId: arn, KeyMaterialId: second.KeyMaterialId });
    await rejectsWith(importMaterial(keyId, randomBytes(32), "RSAES_OAEP_SHA_256", { ImportType: "NEW_KEY_MATERIAL" }), KMSInvalidStateException, `${arn} is pending import.`);
    await rejectsWith(kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId })), KMSInvalidStateException, `${arn} is pending import.`);
    await importMaterial(keyId, m2, "RSAES_OAEP_SHA_256", { ImportType: "EXISTING_KEY_MATERIAL", KeyMaterialId: second.KeyMaterialId });
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState).toBe("Enabled");
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
