// Issue 6: every operation, through every door, produces exactly one audit
// event with the right fields. Every KMS operation the service implements
// (kmsOperations) is called through invokeKms with a valid input and with an
// invalid one, each under its own request ID; then every console/CLI
// operation (users, access keys, custom roles) and the console's sign-in
// and sign-out through the real next-auth handler.
import { constants, createPublicKey, generateKeyPairSync, publicEncrypt, randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createAccessKey, deleteAccessKey, listAccessKeys, setAccessKeyStatus } from "@/lib/accounts/access-keys";
import { createCustomRole, deleteCustomRole, listCustomRoles, setUserCustomRole, updateCustomRole } from "@/lib/accounts/custom-roles";
import {
  changeOwnPassword,
  createUser,
  findUserByName,
  listUsers,
  resetUserPassword,
  setUserDisabled,
  setUserRole,
  setUserTags,
  unlockUser,
} from "@/lib/accounts/users";
import { userPrincipal, type Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { kmsOperations } from "@/lib/kms";
import { invokeKms } from "@/lib/kms/invoke";
import { accountId } from "@/lib/settings/account";
import { consoleSignIn, consoleSignOut, useTestAuthEnvironment } from "../auth/console-session";
import { makeUser, operator, uniqueName } from "../helpers";
import { recordSecret, recordSecretsIn } from "../secret-registry";
import { createSoftHsm, softHsmAvailable, selfSignedTrustAnchor } from "../support/softhsm";
import { auditEvents } from "../support/audit-rows";

type Json = Record<string, unknown>;
interface AuditRecordShape {
  eventName: string;
  eventSource: string;
  eventType: string;
  readOnly: boolean;
  requestID: string;
  errorCode?: string;
  errorMessage?: string;
  userIdentity: { type: string; arn?: string; userName?: string; accessKeyId?: string };
  resources?: Array<{ ARN: string; accountId: string; type: string }>;
  requestParameters: unknown;
  responseElements: unknown;
  additionalEventData?: { via?: string };
}

/** CloudTrail's readOnly for KMS: Describe/List/Get and the cryptographic operations; everything else writes. */
const CLOUDTRAIL_READ_ONLY = new Set([
  "DescribeKey",
  "DescribeCustomKeyStores",
  "ListKeys",
  "ListAliases",
  "ListGrants",
  "ListRetirableGrants",
  "ListKeyPolicies",
  "ListKeyRotations",
  "ListResourceTags",
  "GetKeyPolicy",
  "GetKeyRotationStatus",
  "GetPublicKey",
  "GetParametersForImport",
  "GetKeyLastUsage",
  "Encrypt",
  "Decrypt",
  "ReEncrypt",
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "GenerateDataKeyPair",
  "GenerateDataKeyPairWithoutPlaintext",
  "GenerateRandom",
  "Sign",
  "Verify",
  "GenerateMac",
  "VerifyMac",
  "DeriveSharedSecret",
]);

let admin: Principal;
let keyUser: Principal;
let lastId = 0n;

async function watermark(): Promise<bigint> {
  const last = await prisma.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  return last?.id ?? 0n;
}

/** The events written since the last call (the file runs alone: nothing else writes). */
async function newEvents() {
  const rows = await auditEvents({ where: { id: { gt: lastId } }, orderBy: { id: "asc" } });
  if (rows.length) lastId = rows[rows.length - 1]!.id;
  return rows.map((row) => ({ row, record: JSON.parse(row.record) as AuditRecordShape }));
}

interface KmsCall {
  result?: Json;
  error?: { name: string; message: string };
  record: AuditRecordShape;
}

const covered = { valid: new Set<string>(), invalid: new Set<string>() };

/**
 * Calls one KMS operation under a fresh request ID and checks its one event:
 * name, source, caller, readOnly, errorCode, and the keys it names.
 */
async function kms(op: string, input: unknown, keyArns: string[] = [], caller: Principal = admin, namesNoKey = false): Promise<KmsCall> {
  const requestId = randomUUID();
  recordSecretsIn(input, `${op} request`);
  let result: Json | undefined;
  let error: { name: string; message: string } | undefined;
  try {
    result = (await invokeKms(op, caller, input, { source: "api", requestId, accessKeyId: "AKIAEVERYOPERATION00" })) as Json;
    recordSecretsIn(result, `${op} response`);
  } catch (e) {
    error = e as { name: string; message: string };
  }
  const byRequest = await auditEvents({ where: { id: { gt: lastId } } }, requestId); // a fresh request ID: only new events can hold it
  expect(byRequest, `${op}: one event for request ${requestId}`).toHaveLength(1);
  const events = await newEvents();
  expect(events.map((e) => e.row.id), `${op}: no other event written`).toEqual([byRequest[0]!.id]);
  const { row, record } = events[0]!;
  expect(record).toMatchObject({
    eventName: op,
    eventSource: "kms.amazonaws.com",
    eventType: "AwsApiCall",
    requestID: requestId,
    readOnly: CLOUDTRAIL_READ_ONLY.has(op),
    userIdentity: { type: "IAMUser", arn: caller.arn, userName: caller.username, accessKeyId: "AKIAEVERYOPERATION00" },
    additionalEventData: { via: "api" },
  });
  expect(row).toMatchObject({ eventName: op, eventSource: "kms.amazonaws.com", principalArn: caller.arn, readOnly: CLOUDTRAIL_READ_ONLY.has(op) });
  if (error) {
    expect(record.errorCode, `${op}: errorCode`).toBe(error.name);
    expect(record.errorMessage).toBe(error.message);
    expect(row.errorCode).toBe(error.name);
  } else {
    expect(record).not.toHaveProperty("errorCode");
    expect(row.errorCode).toBeNull();
  }
  const named = (record.resources ?? []).map((r) => r.ARN);
  for (const arn of keyArns) expect(named, `${op}: resources name ${arn}`).toContain(arn);
  if (namesNoKey) expect(record.resources, `${op}: names no key`).toBeUndefined();
  for (const r of record.resources ?? []) expect(r).toEqual({ ARN: expect.stringMatching(/^arn:aws:kms:/), accountId: caller.accountId, type: "AWS::KMS::Key" });
  if (keyArns.length) expect(row.keyId).toBe(named[0]!.split("/")[1]);
  return { result, error, record };
}

/** A valid call: it must succeed. */
async function ok(op: string, input: unknown, keyArns: string[] = []): Promise<Json> {
  const r = await kms(op, input, keyArns, admin, keyArns.length === 0);
  expect(r.error, `${op} should succeed`).toBeUndefined();
  covered.valid.add(op);
  return r.result!;
}

/** An invalid call: it must fail, and its event carry the error. */
async function fails(op: string, input: unknown, keyArns: string[] = []): Promise<string> {
  const r = await kms(op, input, keyArns);
  expect(r.error, `${op} should fail`).toBeDefined();
  expect(r.record.errorCode).toBeTruthy();
  covered.invalid.add(op);
  return r.error!.name;
}

beforeAll(async () => {
  admin = (await makeUser("ADMINISTRATOR")).principal;
  keyUser = (await makeUser("KEY_USER")).principal;
  lastId = await watermark();
});

describe("every KMS operation: exactly one event with the right fields", () => {
  it("valid and invalid calls of every operation in kmsOperations", async () => {
    const meta = (r: Json) => r.KeyMetadata as { Arn: string; KeyId: string };
    // Keys of every kind the operations need (CreateKey names the new key).
    const sym = meta(await createNamed({ Description: "every operation" }));
    const dest = meta(await createNamed({}));
    const signing = meta(await createNamed({ KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" }));
    const hmac = meta(await createNamed({ KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" }));
    const agreement = meta(await createNamed({ KeySpec: "ECC_NIST_P256", KeyUsage: "KEY_AGREEMENT" }));
    expect(await fails("CreateKey", { KeySpec: "NOT_A_SPEC" })).toBe("ValidationException");

    await ok("DescribeKey", { KeyId: sym.KeyId }, [sym.Arn]);
    await fails("DescribeKey", { KeyId: randomUUID() });
    await ok("ListKeys", { Limit: 5 });
    await fails("ListKeys", { Limit: 0 });
    await fails("ListKeys", { Marker: "not-a-marker" });
    await ok("UpdateKeyDescription", { KeyId: sym.KeyId, Description: "renamed" }, [sym.Arn]);
    await fails("UpdateKeyDescription", { KeyId: sym.KeyId });
    await ok("DisableKey", { KeyId: sym.KeyId }, [sym.Arn]);
    // A call that names a key and fails still names it.
    expect(await fails("Encrypt", { KeyId: sym.KeyId, Plaintext: randomBytes(24) }, [sym.Arn])).toBe("DisabledException");
    await fails("DisableKey", { KeyId: "alias/none-such" });
    await ok("EnableKey", { KeyId: sym.KeyId }, [sym.Arn]);
    await fails("EnableKey", { KeyId: 42 });

    const plaintext = randomBytes(40);
    const enc = await ok("Encrypt", { KeyId: sym.KeyId, Plaintext: plaintext, EncryptionContext: { purpose: "audit" } }, [sym.Arn]);
    await fails("Encrypt", { KeyId: sym.KeyId });
    expect(await fails("Encrypt", { KeyId: signing.KeyId, Plaintext: randomBytes(24) }, [signing.Arn])).toBe("InvalidKeyUsageException");
    const dec = await ok("Decrypt", { CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { purpose: "audit" } }, [sym.Arn]);
    expect(Buffer.from(dec.Plaintext as Uint8Array)).toEqual(plaintext);
    await fails("Decrypt", { CiphertextBlob: randomBytes(80) });
    await ok("ReEncrypt", { CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: { purpose: "audit" }, DestinationKeyId: dest.KeyId }, [sym.Arn, dest.Arn]);
    await fails("ReEncrypt", { CiphertextBlob: enc.CiphertextBlob });

    await ok("GenerateDataKey", { KeyId: sym.KeyId, KeySpec: "AES_256" }, [sym.Arn]);
    await fails("GenerateDataKey", { KeyId: sym.KeyId });
    await ok("GenerateDataKeyWithoutPlaintext", { KeyId: sym.KeyId, NumberOfBytes: 32 }, [sym.Arn]);
    await fails("GenerateDataKeyWithoutPlaintext", { KeyId: sym.KeyId, KeySpec: "AES_256", NumberOfBytes: 32 });
    await ok("GenerateDataKeyPair", { KeyId: sym.KeyId, KeyPairSpec: "ECC_NIST_P256" }, [sym.Arn]);
    await fails("GenerateDataKeyPair", { KeyId: sym.KeyId, KeyPairSpec: "NOPE" });
    await ok("GenerateDataKeyPairWithoutPlaintext", { KeyId: sym.KeyId, KeyPairSpec: "ECC_NIST_P256" }, [sym.Arn]);
    await fails("GenerateDataKeyPairWithoutPlaintext", { KeyId: sym.KeyId });
    await ok("GenerateRandom", { NumberOfBytes: 32 });
    await fails("GenerateRandom", { NumberOfBytes: 0 });

    await ok("GetPublicKey", { KeyId: signing.KeyId }, [signing.Arn]);
    await fails("GetPublicKey", { KeyId: sym.KeyId }, [sym.Arn]);
    const message = randomBytes(32);
    const sig = await ok("Sign", { KeyId: signing.KeyId, Message: message, SigningAlgorithm: "ECDSA_SHA_256" }, [signing.Arn]);
    await fails("Sign", { KeyId: signing.KeyId, Message: message });
    await ok("Verify", { KeyId: signing.KeyId, Message: message, Signature: sig.Signature, SigningAlgorithm: "ECDSA_SHA_256" }, [signing.Arn]);
    await fails("Verify", { KeyId: signing.KeyId, Message: randomBytes(32), Signature: sig.Signature, SigningAlgorithm: "ECDSA_SHA_256" }, [signing.Arn]);
    const mac = await ok("GenerateMac", { KeyId: hmac.KeyId, Message: message, MacAlgorithm: "HMAC_SHA_256" }, [hmac.Arn]);
    await fails("GenerateMac", { KeyId: hmac.KeyId, Message: message, MacAlgorithm: "HMAC_SHA_512" }, [hmac.Arn]);
    await ok("VerifyMac", { KeyId: hmac.KeyId, Message: message, Mac: mac.Mac, MacAlgorithm: "HMAC_SHA_256" }, [hmac.Arn]);
    await fails("VerifyMac", { KeyId: hmac.KeyId, Message: randomBytes(8), Mac: mac.Mac, MacAlgorithm: "HMAC_SHA_256" }, [hmac.Arn]);
    const peer = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "der", type: "spki" });
    await ok("DeriveSharedSecret", { KeyId: agreement.KeyId, KeyAgreementAlgorithm: "ECDH", PublicKey: peer }, [agreement.Arn]);
    await fails("DeriveSharedSecret", { KeyId: agreement.KeyId, KeyAgreementAlgorithm: "ECDH" });

    const alias = `alias/${uniqueName("every-op")}`;
    await ok("CreateAlias", { AliasName: alias, TargetKeyId: sym.KeyId }, [sym.Arn]);
    expect(await fails("CreateAlias", { AliasName: alias, TargetKeyId: sym.KeyId }, [sym.Arn])).toBe("AlreadyExistsException");
    await ok("UpdateAlias", { AliasName: alias, TargetKeyId: dest.KeyId }, [dest.Arn]);
    await fails("UpdateAlias", { AliasName: alias });
    await ok("ListAliases", { KeyId: dest.KeyId }, [dest.Arn]);
    await ok("ListAliases", { Limit: 10 });
    await fails("ListAliases", { Limit: 0 });
    await ok("DeleteAlias", { AliasName: alias }, [dest.Arn]);
    await fails("DeleteAlias", { AliasName: alias });

    await ok("TagResource", { KeyId: sym.KeyId, Tags: [{ TagKey: "team", TagValue: "audit" }, { TagKey: "env", TagValue: "test" }] }, [sym.Arn]);
    expect(await fails("TagResource", { KeyId: sym.KeyId, Tags: [{ TagKey: "aws:reserved", TagValue: "x" }] })).toBe("TagException");
    await ok("UntagResource", { KeyId: sym.KeyId, TagKeys: ["env"] }, [sym.Arn]);
    await fails("UntagResource", { KeyId: sym.KeyId });
    await ok("ListResourceTags", { KeyId: sym.KeyId }, [sym.Arn]);
    expect(await fails("ListResourceTags", { KeyId: sym.KeyId, Marker: "garbage" })).toBe("InvalidMarkerException");

    await ok("EnableKeyRotation", { KeyId: sym.KeyId, RotationPeriodInDays: 180 }, [sym.Arn]);
    await fails("EnableKeyRotation", { KeyId: sym.KeyId, RotationPeriodInDays: 10 });
    await ok("GetKeyRotationStatus", { KeyId: sym.KeyId }, [sym.Arn]);
    await fails("GetKeyRotationStatus", { KeyId: "" });
    await ok("RotateKeyOnDemand", { KeyId: sym.KeyId }, [sym.Arn]);
    await fails("RotateKeyOnDemand", { KeyId: signing.KeyId }, [signing.Arn]);
    await ok("ListKeyRotations", { KeyId: sym.KeyId }, [sym.Arn]);
    await fails("ListKeyRotations", { KeyId: sym.KeyId, Limit: 0 });
    await ok("DisableKeyRotation", { KeyId: sym.KeyId }, [sym.Arn]);
    await fails("DisableKeyRotation", { KeyId: signing.KeyId }, [signing.Arn]);

    const policy = await ok("GetKeyPolicy", { KeyId: sym.KeyId, PolicyName: "default" }, [sym.Arn]);
    await fails("GetKeyPolicy", { KeyId: sym.KeyId, PolicyName: "other" });
    await ok("ListKeyPolicies", { KeyId: sym.KeyId }, [sym.Arn]);
    await fails("ListKeyPolicies", { KeyId: "alias/x" });
    await ok("PutKeyPolicy", { KeyId: sym.KeyId, PolicyName: "default", Policy: policy.Policy }, [sym.Arn]);
    expect(await fails("PutKeyPolicy", { KeyId: sym.KeyId, PolicyName: "default", Policy: '{"Statement":[{"Effect":"Allow"}]}' }, [sym.Arn])).toBe(
      "MalformedPolicyDocumentException",
    );

    const grant = await ok("CreateGrant", { KeyId: sym.KeyId, GranteePrincipal: keyUser.arn, RetiringPrincipal: admin.arn, Operations: ["Encrypt"] }, [sym.Arn]);
    await fails("CreateGrant", { KeyId: sym.KeyId, GranteePrincipal: keyUser.arn });
    await ok("ListGrants", { KeyId: sym.KeyId }, [sym.Arn]);
    await fails("ListGrants", { KeyId: sym.KeyId, GrantId: "not-a-grant-id" }, [sym.Arn]);
    await ok("ListRetirableGrants", { RetiringPrincipal: admin.arn });
    await fails("ListRetirableGrants", {});
    await ok("RetireGrant", { GrantToken: grant.GrantToken }, [sym.Arn]);
    expect(await fails("RetireGrant", { GrantToken: "not a grant token" })).toBe("InvalidGrantTokenException");
    const second = await ok("CreateGrant", { KeyId: sym.KeyId, GranteePrincipal: keyUser.arn, Operations: ["Decrypt"] }, [sym.Arn]);
    await ok("RevokeGrant", { KeyId: sym.KeyId, GrantId: second.GrantId }, [sym.Arn]);
    expect(await fails("RevokeGrant", { KeyId: sym.KeyId, GrantId: "zz" }, [sym.Arn])).toBe("InvalidGrantIdException");

    await ok("ScheduleKeyDeletion", { KeyId: dest.KeyId, PendingWindowInDays: 7 }, [dest.Arn]);
    await fails("ScheduleKeyDeletion", { KeyId: dest.KeyId, PendingWindowInDays: 3 });
    await ok("CancelKeyDeletion", { KeyId: dest.KeyId }, [dest.Arn]);
    await fails("CancelKeyDeletion", { KeyId: dest.KeyId }, [dest.Arn]);

    // Operations being added alongside (import of key material, last usage): covered when present.
    if ("GetKeyLastUsage" in kmsOperations) {
      await ok("GetKeyLastUsage", { KeyId: sym.KeyId }, [sym.Arn]);
      await fails("GetKeyLastUsage", { KeyId: 42 });
    }
    if ("GetParametersForImport" in kmsOperations) {
      const external = meta(await createNamed({ Origin: "EXTERNAL" }));
      const params = await ok("GetParametersForImport", { KeyId: external.KeyId, WrappingAlgorithm: "RSAES_OAEP_SHA_256", WrappingKeySpec: "RSA_2048" }, [external.Arn]);
      await fails("GetParametersForImport", { KeyId: external.KeyId });
      const material = randomBytes(32);
      recordSecret(material, "imported key material");
      const wrapped = publicEncrypt(
        { key: createPublicKey({ key: Buffer.from(params.PublicKey as Uint8Array), format: "der", type: "spki" }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
        material,
      );
      if ("ImportKeyMaterial" in kmsOperations) {
        await ok("ImportKeyMaterial", { KeyId: external.KeyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapped, ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE" }, [external.Arn]);
        await fails("ImportKeyMaterial", { KeyId: external.KeyId });
      }
      if ("DeleteImportedKeyMaterial" in kmsOperations) {
        await ok("DeleteImportedKeyMaterial", { KeyId: external.KeyId }, [external.Arn]);
        await fails("DeleteImportedKeyMaterial", { KeyId: sym.KeyId }, [sym.Arn]);
      }
    }

    // Custom key stores: a SoftHSM2 token of this test's own (SoftHSM reads SOFTHSM2_CONF when this
    // process first loads the library, which is here).
    if ("CreateCustomKeyStore" in kmsOperations && softHsmAvailable()) {
      const hsm = createSoftHsm();
      const pin = "every-op-pin-1234";
      const trustAnchor = selfSignedTrustAnchor("keyhold-test-hsm");
      recordSecret(pin, "custom key store PIN");
      hsm.initToken("kh-every-op", pin);
      Object.assign(process.env, hsm.env);
      try {
        const store = await ok("CreateCustomKeyStore", { CustomKeyStoreName: uniqueName("store"), CloudHsmClusterId: "kh-every-op", KeyStorePassword: pin, TrustAnchorCertificate: trustAnchor });
        const CustomKeyStoreId = store.CustomKeyStoreId as string;
        await fails("CreateCustomKeyStore", { CustomKeyStoreName: "no-token", CloudHsmClusterId: "kh-no-such-token", KeyStorePassword: pin, TrustAnchorCertificate: trustAnchor });
        await ok("DescribeCustomKeyStores", { CustomKeyStoreId });
        await fails("DescribeCustomKeyStores", { CustomKeyStoreId: "cks-00000000000000000" });
        await ok("UpdateCustomKeyStore", { CustomKeyStoreId, NewCustomKeyStoreName: uniqueName("store") });
        await fails("UpdateCustomKeyStore", { CustomKeyStoreId: "cks-00000000000000000", NewCustomKeyStoreName: "x" });
        await ok("ConnectCustomKeyStore", { CustomKeyStoreId });
        await fails("ConnectCustomKeyStore", { CustomKeyStoreId: "cks-00000000000000000" });
        await fails("DeleteCustomKeyStore", { CustomKeyStoreId }); // still connected
        await ok("DisconnectCustomKeyStore", { CustomKeyStoreId });
        await fails("DisconnectCustomKeyStore", { CustomKeyStoreId: "cks-00000000000000000" });
        await ok("DeleteCustomKeyStore", { CustomKeyStoreId });
      } finally {
        hsm.cleanup();
      }
    }

    // Every implemented operation was called both ways.
    const all = Object.keys(kmsOperations).sort();
    expect(all.filter((op) => !covered.valid.has(op)), "operations never called with a valid input").toEqual([]);
    expect(all.filter((op) => !covered.invalid.has(op)), "operations never called with an invalid input").toEqual([]);

    // An operation Keyhold does not implement is recorded too.
    expect((await kms("ReplicateKey", { KeyId: sym.KeyId, ReplicaRegion: "eu-west-1" })).error?.name).toBe("UnsupportedOperationException");
    // So is a call the caller may not make (the key user cannot create keys).
    const denied = await kms("CreateKey", {}, [], keyUser);
    expect(denied.record).toMatchObject({ errorCode: "AccessDeniedException", userIdentity: { arn: keyUser.arn } });
  });
});

/** CreateKey as a checked call: its event names the key it created. */
async function createNamed(input: Json): Promise<Json> {
  const requestId = randomUUID();
  const result = (await invokeKms("CreateKey", admin, input, { source: "api", requestId, accessKeyId: "AKIAEVERYOPERATION00" })) as Json;
  const arn = (result.KeyMetadata as { Arn: string }).Arn;
  const events = await newEvents();
  expect(events).toHaveLength(1);
  expect(events[0]!.record).toMatchObject({
    eventName: "CreateKey",
    eventSource: "kms.amazonaws.com",
    requestID: requestId,
    readOnly: false,
    userIdentity: { arn: admin.arn },
    resources: [{ ARN: arn, type: "AWS::KMS::Key", accountId: admin.accountId }],
  });
  expect(events[0]!.record).not.toHaveProperty("errorCode");
  covered.valid.add("CreateKey");
  return result;
}

describe("every console and CLI operation: exactly one event", () => {
  /** Runs one audited service operation and checks the one event it wrote. */
  async function one<T>(
    eventName: string,
    caller: Principal,
    run: () => Promise<T>,
    expected: { readOnly: boolean; errorCode?: string; eventSource?: string },
  ): Promise<T | undefined> {
    let value: T | undefined;
    let error: { name: string } | undefined;
    try {
      value = await run();
      recordSecretsIn(value, `${eventName} response`);
    } catch (e) {
      error = e as { name: string };
    }
    const events = await newEvents();
    expect(events.map((e) => e.record.eventName), `${eventName}: exactly one event`).toEqual([eventName]);
    const { row, record } = events[0]!;
    expect(record).toMatchObject({
      eventName,
      eventSource: expected.eventSource ?? "iam.amazonaws.com",
      readOnly: expected.readOnly,
      userIdentity: { arn: caller.arn, type: caller.kind === "operator" ? "Root" : "IAMUser" },
      additionalEventData: { via: caller.kind === "operator" ? "cli" : "console" },
    });
    expect(row.principalArn).toBe(caller.arn);
    expect(row.readOnly).toBe(expected.readOnly);
    if (expected.errorCode) {
      expect(error?.name).toBe(expected.errorCode);
      expect(record.errorCode).toBe(expected.errorCode);
      expect(row.errorCode).toBe(expected.errorCode);
    } else {
      expect(error, `${eventName} should succeed`).toBeUndefined();
      expect(record).not.toHaveProperty("errorCode");
    }
    return value;
  }

  it("users, access keys and custom roles, from the console and the CLI", async () => {
    lastId = await watermark();
    const cli = await operator();
    const password = `every operation ${randomUUID()}`;
    recordSecret(password, "CreateUser password");
    const name = uniqueName("every-op-user");
    const created = await one("CreateUser", admin, () => createUser(admin, { username: name, role: "KEY_USER", password, mustChangePassword: false }), { readOnly: false });
    const userId = created!.user.id;
    await one("CreateUser", admin, () => createUser(admin, { username: "not a valid name!" }), { readOnly: false, errorCode: "ValidationException" });
    await one("CreateUser", keyUser, () => createUser(keyUser, { username: uniqueName("nope") }), { readOnly: false, errorCode: "AccessDeniedException" });
    const generated = await one("CreateUser", cli, () => createUser(cli, { username: uniqueName("every-op-generated") }), { readOnly: false });
    expect(generated!.generatedPassword).toBeTruthy();

    await one("ListUsers", admin, () => listUsers(admin), { readOnly: true });
    await one("GetUser", cli, () => findUserByName(cli, name), { readOnly: true });
    await one("UpdateUserRole", admin, () => setUserRole(admin, { userId, role: "AUDITOR" }), { readOnly: false });
    await one("UpdateUserRole", admin, () => setUserRole(admin, { userId, role: "EMPEROR" }), { readOnly: false, errorCode: "ValidationException" });
    const newPassword = `reset password ${randomUUID()}`;
    recordSecret(newPassword, "ResetUserPassword password");
    await one("ResetUserPassword", admin, () => resetUserPassword(admin, { userId, password: newPassword }), { readOnly: false });
    await one("UnlockUser", cli, () => unlockUser(cli, { userId }), { readOnly: false });
    await one("TagUser", admin, () => setUserTags(admin, { userId, tags: { team: "payments" } }), { readOnly: false });
    await one("TagUser", admin, () => setUserTags(admin, { userId, tags: { "": "x" } }), { readOnly: false, errorCode: "ValidationException" });
    const row = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
    const self = userPrincipal(await accountId(), row);
    const ownPassword = `own new password ${randomUUID()}`;
    recordSecret(ownPassword, "ChangePassword password");
    await one("ChangePassword", self, () => changeOwnPassword(self, { currentPassword: newPassword, newPassword: ownPassword }), { readOnly: false });

    const key = await one("CreateAccessKey", admin, () => createAccessKey(admin, { username: name }), { readOnly: false });
    expect(key!.SecretAccessKey).toMatch(/^[A-Za-z0-9/+]{40}$/);
    await one("CreateAccessKey", keyUser, () => createAccessKey(keyUser, { username: name }), { readOnly: false, errorCode: "AccessDeniedException" });
    await one("ListAccessKeys", admin, () => listAccessKeys(admin, { username: name }), { readOnly: true });
    await one("UpdateAccessKey", admin, () => setAccessKeyStatus(admin, { accessKeyId: key!.AccessKeyId, status: "Inactive" }), { readOnly: false });
    await one("UpdateAccessKey", admin, () => setAccessKeyStatus(admin, { accessKeyId: key!.AccessKeyId, status: "Sleeping" }), { readOnly: false, errorCode: "ValidationException" });
    await one("DeleteAccessKey", cli, () => deleteAccessKey(cli, { accessKeyId: key!.AccessKeyId }), { readOnly: false });
    await one("DeleteAccessKey", cli, () => deleteAccessKey(cli, { accessKeyId: key!.AccessKeyId }), { readOnly: false, errorCode: "NotFoundException" });

    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:DescribeKey", Resource: "*" }] });
    const role = await one("CreateRole", admin, () => createCustomRole(admin, { name: uniqueName("every-op-role"), description: "audited", policy }), { readOnly: false });
    await one("CreateRole", admin, () => createCustomRole(admin, { name: uniqueName("bad-role"), policy: "{}" }), { readOnly: false, errorCode: "MalformedPolicyDocumentException" });
    await one("UpdateRole", admin, () => updateCustomRole(admin, { customRoleId: role!.id, description: "still audited" }), { readOnly: false });
    await one("UpdateUserCustomRole", admin, () => setUserCustomRole(admin, { userId, customRoleId: role!.id }), { readOnly: false });
    await one("UpdateUserCustomRole", admin, () => setUserCustomRole(admin, { userId: randomUUID(), customRoleId: role!.id }), { readOnly: false, errorCode: "NotFoundException" });
    await one("ListRoles", admin, () => listCustomRoles(admin), { readOnly: true });
    await one("DeleteRole", cli, () => deleteCustomRole(cli, { customRoleId: role!.id }), { readOnly: false });

    await one("UpdateUserStatus", admin, () => setUserDisabled(admin, { userId, disabled: true }), { readOnly: false });
    await one("UpdateUserStatus", admin, () => setUserDisabled(admin, { userId: admin.userId, disabled: true }), { readOnly: false, errorCode: "ValidationException" });
  });

  it("console sign-in (success and failure) and sign-out", async () => {
    useTestAuthEnvironment();
    const { user, principal, password } = await makeUser("AUDITOR", { password: `sign in password ${randomUUID()}` });
    lastId = await watermark();
    const where = { "x-keyhold-client-ip": "203.0.113.9", "user-agent": "every-operation-test" };

    const signedIn = await consoleSignIn(user.username, password, where);
    expect(signedIn.sessionToken).toBeTruthy();
    let events = await newEvents();
    expect(events.map((e) => e.record.eventName)).toEqual(["ConsoleLogin"]);
    expect(events[0]!.record).toMatchObject({
      eventSource: "signin.amazonaws.com",
      eventType: "AwsConsoleSignIn",
      readOnly: false,
      userIdentity: { type: "IAMUser", arn: principal.arn, userName: user.username },
      responseElements: { consoleLogin: "Success" },
    });
    expect(events[0]!.record).not.toHaveProperty("errorCode");
    expect(events[0]!.row).toMatchObject({ principalArn: principal.arn, sourceIp: "203.0.113.9", errorCode: null });

    const wrong = `wrong password ${randomUUID()}`;
    recordSecret(wrong, "failed sign-in password");
    const failed = await consoleSignIn(user.username, wrong, where);
    expect(failed.sessionToken).toBeUndefined();
    events = await newEvents();
    expect(events.map((e) => e.record.eventName)).toEqual(["ConsoleLogin"]);
    expect(events[0]!.record).toMatchObject({
      eventSource: "signin.amazonaws.com",
      eventType: "AwsConsoleSignIn",
      readOnly: false,
      errorCode: "AuthenticationFailed",
      userIdentity: { type: "Unknown", userName: user.username },
    });
    expect(events[0]!.row.errorCode).toBe("AuthenticationFailed");

    const unknown = await consoleSignIn(uniqueName("nobody"), wrong, where);
    expect(unknown.sessionToken).toBeUndefined();
    events = await newEvents();
    expect(events.map((e) => [e.record.eventName, e.record.errorCode])).toEqual([["ConsoleLogin", "AuthenticationFailed"]]);

    await consoleSignOut(signedIn.sessionToken!);
    events = await newEvents();
    expect(events.map((e) => e.record.eventName)).toEqual(["ConsoleLogout"]);
    expect(events[0]!.record).toMatchObject({
      eventSource: "signin.amazonaws.com",
      eventType: "AwsConsoleSignIn",
      readOnly: false,
      userIdentity: { type: "IAMUser", arn: principal.arn },
    });
    expect(events[0]!.record).not.toHaveProperty("errorCode");
  });
});
