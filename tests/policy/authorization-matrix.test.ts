// Every implemented KMS operation, through invokeKms (the path of the console
// and the CLI; the API reaches the same function), as each built-in role, a
// user with no role and a user who must change their password: each cell
// allowed (any outcome but AccessDeniedException) or denied as designed.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { kmsOperations } from "@/lib/kms";
import { makeUser, operator } from "../helpers";
import { call, outcome, rootKey, unique, userWith } from "./fixtures";

type Who = "ADMINISTRATOR" | "KEY_ADMINISTRATOR" | "KEY_USER" | "AUDITOR" | "NONE" | "MUST_CHANGE";
const WHO: Who[] = ["ADMINISTRATOR", "KEY_ADMINISTRATOR", "KEY_USER", "AUDITOR", "NONE", "MUST_CHANGE"];

const ALL: Who[] = ["ADMINISTRATOR", "KEY_ADMINISTRATOR", "KEY_USER", "AUDITOR"];
const MANAGE: Who[] = ["ADMINISTRATOR", "KEY_ADMINISTRATOR"];
const USE: Who[] = ["ADMINISTRATOR", "KEY_USER"];

let callers: Record<Who, Principal>;
let root: Principal;
let sym: { id: string; arn: string };
let sym2: { id: string; arn: string };
let ecSign: { id: string };
let hmac: { id: string };
let ecdh: { id: string };
let external: { id: string };
let ciphertext: Uint8Array;
const MESSAGE = new TextEncoder().encode("matrix");

beforeAll(async () => {
  root = await operator();
  callers = {
    ADMINISTRATOR: await userWith("ADMINISTRATOR"),
    KEY_ADMINISTRATOR: await userWith("KEY_ADMINISTRATOR"),
    KEY_USER: await userWith("KEY_USER"),
    AUDITOR: await userWith("AUDITOR"),
    NONE: await userWith(null),
    MUST_CHANGE: (await makeUser("ADMINISTRATOR", { mustChangePassword: true })).principal,
  };
  sym = await rootKey();
  sym2 = await rootKey();
  ecSign = await rootKey({ KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" });
  hmac = await rootKey({ KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" });
  ecdh = await rootKey({ KeySpec: "ECC_NIST_P256", KeyUsage: "KEY_AGREEMENT" });
  external = await rootKey({ Origin: "EXTERNAL" });
  ciphertext = ((await call("Encrypt", root, { KeyId: sym.id, Plaintext: MESSAGE })) as { CiphertextBlob: Uint8Array }).CiphertextBlob;
});

const fresh = async () => (await rootKey()).id;
async function freshAlias(): Promise<string> {
  const name = `alias/${unique("matrix")}`;
  await call("CreateAlias", root, { AliasName: name, TargetKeyId: sym.id });
  return name;
}
async function freshGrant(): Promise<string> {
  const out = (await call("CreateGrant", root, {
    KeyId: sym.id,
    GranteePrincipal: `arn:aws:iam::${root.accountId}:user/${unique("grantee")}`,
    Operations: ["Encrypt"],
  })) as { GrantId: string };
  return out.GrantId;
}
const peer = () => generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ format: "der", type: "spki" });

const MATRIX: Record<string, [Who[], () => Promise<object>]> = {
  CreateKey: [MANAGE, async () => ({ Description: "matrix" })],
  DescribeKey: [ALL, async () => ({ KeyId: sym.id })],
  ListKeys: [ALL, async () => ({ Limit: 1 })],
  EnableKey: [MANAGE, async () => ({ KeyId: await fresh() })],
  DisableKey: [MANAGE, async () => ({ KeyId: await fresh() })],
  UpdateKeyDescription: [MANAGE, async () => ({ KeyId: sym.id, Description: "matrix" })],
  Encrypt: [USE, async () => ({ KeyId: sym.id, Plaintext: MESSAGE })],
  Decrypt: [USE, async () => ({ CiphertextBlob: ciphertext })],
  GenerateDataKey: [USE, async () => ({ KeyId: sym.id, KeySpec: "AES_256" })],
  GenerateDataKeyWithoutPlaintext: [USE, async () => ({ KeyId: sym.id, KeySpec: "AES_256" })],
  GenerateDataKeyPair: [USE, async () => ({ KeyId: sym.id, KeyPairSpec: "ECC_NIST_P256" })],
  GenerateDataKeyPairWithoutPlaintext: [USE, async () => ({ KeyId: sym.id, KeyPairSpec: "ECC_NIST_P256" })],
  ReEncrypt: [USE, async () => ({ CiphertextBlob: ciphertext, DestinationKeyId: sym2.id })],
  GenerateRandom: [USE, async () => ({ NumberOfBytes: 8 })],
  GetPublicKey: [ALL, async () => ({ KeyId: ecSign.id })],
  Sign: [USE, async () => ({ KeyId: ecSign.id, Message: MESSAGE, SigningAlgorithm: "ECDSA_SHA_256" })],
  Verify: [USE, async () => ({ KeyId: ecSign.id, Message: MESSAGE, Signature: new Uint8Array(70), SigningAlgorithm: "ECDSA_SHA_256" })],
  GenerateMac: [USE, async () => ({ KeyId: hmac.id, Message: MESSAGE, MacAlgorithm: "HMAC_SHA_256" })],
  VerifyMac: [USE, async () => ({ KeyId: hmac.id, Message: MESSAGE, Mac: new Uint8Array(32), MacAlgorithm: "HMAC_SHA_256" })],
  DeriveSharedSecret: [USE, async () => ({ KeyId: ecdh.id, KeyAgreementAlgorithm: "ECDH", PublicKey: peer() })],
  CreateAlias: [MANAGE, async () => ({ AliasName: `alias/${unique("matrix")}`, TargetKeyId: sym.id })],
  UpdateAlias: [MANAGE, async () => ({ AliasName: await freshAlias(), TargetKeyId: sym2.id })],
  DeleteAlias: [MANAGE, async () => ({ AliasName: await freshAlias() })],
  ListAliases: [ALL, async () => ({ Limit: 1 })],
  TagResource: [MANAGE, async () => ({ KeyId: sym.id, Tags: [{ TagKey: "matrix", TagValue: "1" }] })],
  UntagResource: [MANAGE, async () => ({ KeyId: sym.id, TagKeys: ["matrix"] })],
  ListResourceTags: [ALL, async () => ({ KeyId: sym.id })],
  ScheduleKeyDeletion: [MANAGE, async () => ({ KeyId: await fresh(), PendingWindowInDays: 7 })],
  CancelKeyDeletion: [MANAGE, async () => ({ KeyId: await fresh() })],
  EnableKeyRotation: [MANAGE, async () => ({ KeyId: sym.id })],
  DisableKeyRotation: [MANAGE, async () => ({ KeyId: sym.id })],
  GetKeyRotationStatus: [ALL, async () => ({ KeyId: sym.id })],
  RotateKeyOnDemand: [MANAGE, async () => ({ KeyId: await fresh() })],
  ListKeyRotations: [ALL, async () => ({ KeyId: sym.id })],
  GetKeyPolicy: [ALL, async () => ({ KeyId: sym.id })],
  ListKeyPolicies: [ALL, async () => ({ KeyId: sym.id })],
  PutKeyPolicy: [
    MANAGE,
    async () => {
      const id = await fresh();
      const { Policy } = (await call("GetKeyPolicy", root, { KeyId: id })) as { Policy: string };
      return { KeyId: id, Policy };
    },
  ],
  CreateGrant: [USE, async () => ({ KeyId: sym.id, GranteePrincipal: `arn:aws:iam::${root.accountId}:user/someone`, Operations: ["Decrypt"] })],
  ListGrants: [ALL, async () => ({ KeyId: sym.id })],
  ListRetirableGrants: [ALL, async () => ({ RetiringPrincipal: `arn:aws:iam::${root.accountId}:user/someone` })],
  RetireGrant: [USE, async () => ({ KeyId: sym.id, GrantId: await freshGrant() })],
  RevokeGrant: [["ADMINISTRATOR", "KEY_ADMINISTRATOR", "KEY_USER"], async () => ({ KeyId: sym.id, GrantId: await freshGrant() })],
  GetParametersForImport: [MANAGE, async () => ({ KeyId: external.id, WrappingAlgorithm: "RSAES_OAEP_SHA_256", WrappingKeySpec: "RSA_2048" })],
  // Allowed callers get past authorization to the token check (InvalidImportTokenException).
  ImportKeyMaterial: [MANAGE, async () => ({ KeyId: external.id, ImportToken: randomBytes(77), EncryptedKeyMaterial: randomBytes(256) })],
  DeleteImportedKeyMaterial: [MANAGE, async () => ({ KeyId: (await rootKey({ Origin: "EXTERNAL" })).id })],
  GetKeyLastUsage: [ALL, async () => ({ KeyId: sym.id })],
};

describe("authorization matrix", () => {
  it("covers every operation of the key service", () => {
    expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(kmsOperations).sort());
  });

  const cells = Object.entries(MATRIX).flatMap(([op, [allowed]]) => WHO.map((who) => [op, who, allowed.includes(who)] as const));
  it.each(cells)("%s as %s → allowed: %s", async (op, who, allowed) => {
    const input = await MATRIX[op]![1]();
    const r = await outcome(call(op, callers[who], input));
    if (allowed) {
      expect(r.name, `${op} as ${who}: ${r.message}`).not.toBe("AccessDeniedException");
    } else {
      expect(r.name, `${op} as ${who} should be denied`).toBe("AccessDeniedException");
      if (who !== "MUST_CHANGE") {
        expect(r.message).toContain(`User: ${callers[who].arn} is not authorized to perform: kms:`);
      }
    }
  });

  it("the account root (operator) may do everything the default key policy allows", async () => {
    for (const op of ["Encrypt", "ScheduleKeyDeletion", "GetKeyPolicy", "CreateGrant"]) {
      const r = await outcome(call(op, root, await MATRIX[op]![1]()));
      expect(r.name, op).not.toBe("AccessDeniedException");
    }
  });
});
