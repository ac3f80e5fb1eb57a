import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { generateDataKeyPair as newDataKeyPair, isDataKeyPairSpec } from "@/lib/crypto";
import { dryRunSucceeded, InvalidKeyUsageException, UnsupportedOperationException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { kmsContext } from "../context";
import { keyMaterialId } from "../metadata";
import { resolveKey } from "../resolve";
import { assertEnabled, assertUsage } from "../state";
import { encryptUnderKey } from "../symmetric";
import { boolField, encryptionContextField, enumField, grantTokensField, keyIdField, validateRequest } from "../validate";

/** The AWS DataKeyPairSpec enum; SM2 (China Regions only) is rejected as unsupported after validation. */
const KEY_PAIR_SPECS = [
  "RSA_2048",
  "RSA_3072",
  "RSA_4096",
  "ECC_NIST_P256",
  "ECC_NIST_P384",
  "ECC_NIST_P521",
  "ECC_SECG_P256K1",
  "SM2",
  "ECC_NIST_EDWARDS25519",
] as const;

const withoutPlaintextSchema = z.object({
  KeyId: keyIdField,
  KeyPairSpec: enumField(KEY_PAIR_SPECS),
  EncryptionContext: encryptionContextField,
  GrantTokens: grantTokensField,
  DryRun: boolField,
});
/** Only GenerateDataKeyPair has Recipient (Nitro Enclaves); the other shape has no such member. */
const schema = withoutPlaintextSchema.extend({ Recipient: z.unknown().optional() });

interface DataKeyPairResponse {
  PrivateKeyCiphertextBlob: Buffer;
  PrivateKeyPlaintext: Buffer;
  PublicKey: Buffer;
  KeyId: string;
  KeyPairSpec: string;
  KeyMaterialId: string;
}

async function generate(
  caller: Principal,
  input: unknown,
  action: "kms:GenerateDataKeyPair" | "kms:GenerateDataKeyPairWithoutPlaintext",
): Promise<DataKeyPairResponse> {
  assertCallerActive(caller, action);
  const req: z.output<typeof schema> =
    action === "kms:GenerateDataKeyPair" ? validateRequest(schema, input) : validateRequest(withoutPlaintextSchema, input);
  if (req.Recipient !== undefined) {
    throw new UnsupportedOperationException(messages.recipientUnsupported);
  }
  const spec = req.KeyPairSpec;
  if (!isDataKeyPairSpec(spec)) {
    throw new UnsupportedOperationException(messages.sm2Unsupported);
  }
  const ctx = await kmsContext();
  const { key, requestAlias } = await resolveKey(ctx, req.KeyId);
  await authorizeKeyAction(caller, action, ctx, key, {
    encryptionContext: req.EncryptionContext,
    requestAlias,
    grantTokens: req.GrantTokens,
    values: { "kms:DataKeyPairSpec": spec, "kms:EncryptionAlgorithm": "SYMMETRIC_DEFAULT" },
  });
  assertEnabled(ctx, key);
  assertUsage(ctx, key, "ENCRYPT_DECRYPT", action.slice(4));
  if (key.keySpec !== "SYMMETRIC_DEFAULT") {
    throw new InvalidKeyUsageException(messages.keySpecNotValid(ctx.keyArn(key.id), key.keySpec, action.slice(4)));
  }
  if (req.DryRun) dryRunSucceeded();
  const pair = newDataKeyPair(spec);
  try {
    const ciphertext = await encryptUnderKey(key, pair.privateKeyDer, req.EncryptionContext);
    return {
      PrivateKeyCiphertextBlob: ciphertext,
      PrivateKeyPlaintext: pair.privateKeyDer,
      PublicKey: pair.publicKeyDer,
      KeyId: ctx.keyArn(key.id),
      KeyPairSpec: spec,
      KeyMaterialId: keyMaterialId(key.id, key.currentVersion),
    };
  } catch (e) {
    pair.privateKeyDer.fill(0);
    throw e;
  }
}

export function generateDataKeyPair(caller: Principal, input: unknown): Promise<DataKeyPairResponse> {
  return generate(caller, input, "kms:GenerateDataKeyPair");
}

export async function generateDataKeyPairWithoutPlaintext(
  caller: Principal,
  input: unknown,
): Promise<Omit<DataKeyPairResponse, "PrivateKeyPlaintext">> {
  const { PrivateKeyPlaintext, ...rest } = await generate(caller, input, "kms:GenerateDataKeyPairWithoutPlaintext");
  PrivateKeyPlaintext.fill(0);
  return rest;
}
