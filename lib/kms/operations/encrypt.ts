import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { RsaKey, isCiphertextError, rsaMaxPlaintextBytes, type KeySpec, type RsaSpec } from "@/lib/crypto";
import { dryRunSucceeded, InvalidKeyUsageException, ValidationException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import { ENCRYPTION_ALGORITHM_SPEC } from "../aws-enums";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { kmsContext } from "../context";
import { withMaterial } from "../material";
import { resolveKey } from "../resolve";
import { assertEnabled, assertUsage } from "../state";
import { encryptUnderKey } from "../symmetric";
import { blob, boolField, encryptionContextField, enumField, grantTokensField, keyIdField, validateRequest } from "../validate";

const schema = z.object({
  KeyId: keyIdField,
  Plaintext: blob(1, 4096),
  EncryptionContext: encryptionContextField,
  GrantTokens: grantTokensField,
  EncryptionAlgorithm: enumField(ENCRYPTION_ALGORITHM_SPEC).optional(),
  DryRun: boolField,
});

export async function encrypt(
  caller: Principal,
  input: unknown,
): Promise<{ CiphertextBlob: Buffer; KeyId: string; EncryptionAlgorithm: string }> {
  assertCallerActive(caller, "kms:Encrypt");
  const req = validateRequest(schema, input);
  const ctx = await kmsContext();
  const { key, requestAlias } = await resolveKey(ctx, req.KeyId);
  await authorizeKeyAction(caller, "kms:Encrypt", ctx, key, {
    encryptionContext: req.EncryptionContext,
    requestAlias,
    grantTokens: req.GrantTokens,
    values: { "kms:EncryptionAlgorithm": req.EncryptionAlgorithm ?? "SYMMETRIC_DEFAULT" },
  });
  assertEnabled(ctx, key);
  assertUsage(ctx, key, "ENCRYPT_DECRYPT", "Encrypt");
  const algorithm = req.EncryptionAlgorithm ?? "SYMMETRIC_DEFAULT";

  if (key.keySpec === "SYMMETRIC_DEFAULT") {
    if (algorithm !== "SYMMETRIC_DEFAULT") {
      throw new InvalidKeyUsageException(messages.algorithmIncompatible(algorithm, key.keySpec));
    }
    if (req.DryRun) dryRunSucceeded();
    const ciphertext = await encryptUnderKey(key, req.Plaintext, req.EncryptionContext);
    return { CiphertextBlob: ciphertext, KeyId: ctx.keyArn(key.id), EncryptionAlgorithm: algorithm };
  }

  // RSA: OAEP with the key's public half; no encryption context (as AWS).
  if (algorithm !== "RSAES_OAEP_SHA_1" && algorithm !== "RSAES_OAEP_SHA_256") {
    throw new InvalidKeyUsageException(messages.algorithmIncompatible(algorithm, key.keySpec));
  }
  if (req.EncryptionContext && Object.keys(req.EncryptionContext).length > 0) {
    throw new ValidationException(messages.contextWithAsymmetricKey("EncryptionContext"));
  }
  const max = rsaMaxPlaintextBytes(key.keySpec as KeySpec, algorithm) ?? 0;
  if (req.Plaintext.length > max) {
    throw new ValidationException(messages.rsaPlaintextTooLarge(algorithm, key.keySpec, max));
  }
  if (req.DryRun) dryRunSucceeded();
  const ciphertext = await withMaterial(key, key.currentVersion, (material) => {
    try {
      return new RsaKey(key.keySpec as RsaSpec, material).encrypt(req.Plaintext, algorithm);
    } catch (e) {
      if (isCiphertextError(e)) throw new ValidationException(messages.cannotEncrypt);
      throw e;
    }
  });
  return { CiphertextBlob: ciphertext, KeyId: ctx.keyArn(key.id), EncryptionAlgorithm: algorithm };
}
