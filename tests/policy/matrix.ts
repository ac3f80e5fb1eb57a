// The authorization matrix, in one place for every door that runs it: each
// implemented KMS operation → the built-in roles allowed to call it, and a
// builder of an input that gets an allowed caller past authorization. A user
// with no role (and one who must change their password) is never allowed.
//
// Door-agnostic: the keys, aliases, grants and ciphertexts the inputs need are
// made through `admin`, a function that calls an operation as a caller who may
// do everything (the account root in-process, the bootstrap administrator
// through the API). It takes and returns blobs as Uint8Array, as invokeKms and
// @aws-sdk/client-kms both do.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { Role } from "@/lib/db/client";
import { unique } from "./fixtures";

export type AdminCall = (operation: string, input: object) => Promise<unknown>;

const ALL: Role[] = ["ADMINISTRATOR", "KEY_ADMINISTRATOR", "KEY_USER", "AUDITOR"];
const MANAGE: Role[] = ["ADMINISTRATOR", "KEY_ADMINISTRATOR"];
const USE: Role[] = ["ADMINISTRATOR", "KEY_USER"];
const ADMIN: Role[] = ["ADMINISTRATOR"];
const NO_STORE = "cks-00000000000000000";

export const BUILT_IN_ROLES: Role[] = ALL;

/** Operation → [roles allowed, input builder]. */
export type MatrixRows = Record<string, [Role[], () => Promise<object>]>;

export interface AuthorizationMatrix {
  rows: MatrixRows;
  /** Makes the shared keys and the ciphertext; call once (beforeAll) before building inputs. */
  setup(): Promise<void>;
}

interface KeyRef {
  id: string;
  arn: string;
}

export function authorizationMatrix(admin: AdminCall): AuthorizationMatrix {
  let sym: KeyRef;
  let sym2: KeyRef;
  let ecSign: KeyRef;
  let hmac: KeyRef;
  let ecdh: KeyRef;
  let external: KeyRef;
  let ciphertext: Uint8Array;
  let account: string;
  const MESSAGE = new TextEncoder().encode("matrix");

  async function key(input: object = {}): Promise<KeyRef> {
    const out = (await admin("CreateKey", input)) as { KeyMetadata: { KeyId: string; Arn: string } };
    return { id: out.KeyMetadata.KeyId, arn: out.KeyMetadata.Arn };
  }
  const fresh = async () => (await key()).id;
  async function freshAlias(): Promise<string> {
    const name = `alias/${unique("matrix")}`;
    await admin("CreateAlias", { AliasName: name, TargetKeyId: sym.id });
    return name;
  }
  async function freshGrant(): Promise<string> {
    const out = (await admin("CreateGrant", {
      KeyId: sym.id,
      GranteePrincipal: `arn:aws:iam::${account}:root`, // a grantee must exist, as in AWS
      Operations: ["Encrypt"],
    })) as { GrantId: string };
    return out.GrantId;
  }
  const peer = () => generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ format: "der", type: "spki" });

  const rows: MatrixRows = {
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
    // Custom key stores: the administrator's alone (separation of duties, as CloudHSM); a key
    // administrator may list them. An unknown store gets an allowed caller past authorization.
    CreateCustomKeyStore: [ADMIN, async () => ({ CustomKeyStoreName: unique("matrix-store"), CloudHsmClusterId: unique("no-token").slice(0, 30), KeyStorePassword: "matrix-pin" })],
    DescribeCustomKeyStores: [MANAGE, async () => ({ CustomKeyStoreId: NO_STORE })],
    UpdateCustomKeyStore: [ADMIN, async () => ({ CustomKeyStoreId: NO_STORE, NewCustomKeyStoreName: unique("matrix-store") })],
    DeleteCustomKeyStore: [ADMIN, async () => ({ CustomKeyStoreId: NO_STORE })],
    ConnectCustomKeyStore: [ADMIN, async () => ({ CustomKeyStoreId: NO_STORE })],
    DisconnectCustomKeyStore: [ADMIN, async () => ({ CustomKeyStoreId: NO_STORE })],
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
        const { Policy } = (await admin("GetKeyPolicy", { KeyId: id })) as { Policy: string };
        return { KeyId: id, Policy };
      },
    ],
    CreateGrant: [USE, async () => ({ KeyId: sym.id, GranteePrincipal: `arn:aws:iam::${account}:root`, Operations: ["Decrypt"] })],
    ListGrants: [ALL, async () => ({ KeyId: sym.id })],
    ListRetirableGrants: [ALL, async () => ({ RetiringPrincipal: `arn:aws:iam::${account}:user/someone` })],
    RetireGrant: [USE, async () => ({ KeyId: sym.id, GrantId: await freshGrant() })],
    RevokeGrant: [["ADMINISTRATOR", "KEY_ADMINISTRATOR", "KEY_USER"], async () => ({ KeyId: sym.id, GrantId: await freshGrant() })],
    GetParametersForImport: [MANAGE, async () => ({ KeyId: external.id, WrappingAlgorithm: "RSAES_OAEP_SHA_256", WrappingKeySpec: "RSA_2048" })],
    // Allowed callers get past authorization to the token check (InvalidImportTokenException).
    ImportKeyMaterial: [MANAGE, async () => ({ KeyId: external.id, ImportToken: randomBytes(77), EncryptedKeyMaterial: randomBytes(256) })],
    DeleteImportedKeyMaterial: [MANAGE, async () => ({ KeyId: (await key({ Origin: "EXTERNAL" })).id })],
    GetKeyLastUsage: [ALL, async () => ({ KeyId: sym.id })],
  };

  async function setup(): Promise<void> {
    sym = await key();
    account = sym.arn.split(":")[4]!;
    sym2 = await key();
    ecSign = await key({ KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" });
    hmac = await key({ KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" });
    ecdh = await key({ KeySpec: "ECC_NIST_P256", KeyUsage: "KEY_AGREEMENT" });
    external = await key({ Origin: "EXTERNAL" });
    ciphertext = ((await admin("Encrypt", { KeyId: sym.id, Plaintext: MESSAGE })) as { CiphertextBlob: Uint8Array }).CiphertextBlob;
  }

  return { rows, setup };
}
