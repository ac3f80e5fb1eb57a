import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { dryRunSucceeded, InvalidKeyUsageException, UnsupportedOperationException, ValidationException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { kmsContext } from "../context";
import { keyMaterialId } from "../metadata";
import { resolveKey } from "../resolve";
import { assertEnabled, assertUsage } from "../state";
import { encryptUnderKey } from "../symmetric";
import { boolField, encryptionContextField, enumField, grantTokensField, intField, keyIdField, validateRequest } from "../validate";

const schema = z.object({
  KeyId: keyIdField,
  EncryptionContext: encryptionContextField,
  NumberOfBytes: intField(1, 1024).optional(),
  KeySpec: enumField(["AES_256", "AES_128"] as const).optional(),
  GrantTokens: grantTokensField,
  Recipient: z.unknown().optional(),
  DryRun: boolField,
});

interface DataKey {
  CiphertextBlob: Buffer;
  Plaintext: Buffer;
  KeyId: string;
  KeyMaterialId: string;
}

async function generate(caller: Principal, input: unknown, action: string): Promise<DataKey> {
  assertCallerActive(caller, action);
  const req = validateRequest(schema, input);
  if (req.Recipient !== undefined) {
    throw new UnsupportedOperationException(messages.recipientUnsupported);
  }
  if (req.NumberOfBytes !== undefined && req.KeySpec !== undefined) throw new ValidationException(messages.dataKeyBothSizes);
  if (req.NumberOfBytes === undefined && req.KeySpec === undefined) throw new ValidationException(messages.dataKeyNoSize);
  const ctx = await kmsContext();
  const { key, requestAlias } = await resolveKey(ctx, req.KeyId);
  await authorizeKeyAction(caller, action, ctx, key, {
    encryptionContext: req.EncryptionContext,
    requestAlias,
    grantTokens: req.GrantTokens,
    values: { "kms:EncryptionAlgorithm": "SYMMETRIC_DEFAULT" },
  });
  assertEnabled(ctx, key);
  assertUsage(ctx, key, "ENCRYPT_DECRYPT", action.slice(4));
  if (key.keySpec !== "SYMMETRIC_DEFAULT") {
    throw new InvalidKeyUsageException(messages.keySpecNotValid(ctx.keyArn(key.id), key.keySpec, action.slice(4)));
  }
  if (req.DryRun) dryRunSucceeded();
  const plaintext = randomBytes(req.NumberOfBytes ?? (req.KeySpec === "AES_128" ? 16 : 32));
  const ciphertext = await encryptUnderKey(key, plaintext, req.EncryptionContext);
  return {
    CiphertextBlob: ciphertext,
    Plaintext: plaintext,
    KeyId: ctx.keyArn(key.id),
    KeyMaterialId: keyMaterialId(key.id, key.currentVersion),
  };
}

export function generateDataKey(caller: Principal, input: unknown): Promise<DataKey> {
  return generate(caller, input, "kms:GenerateDataKey");
}

export async function generateDataKeyWithoutPlaintext(
  caller: Principal,
  input: unknown,
): Promise<Omit<DataKey, "Plaintext">> {
  const { Plaintext, ...rest } = await generate(caller, input, "kms:GenerateDataKeyWithoutPlaintext");
  Plaintext.fill(0);
  return rest;
}
