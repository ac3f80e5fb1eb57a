import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { parseSymmetricHeader, RsaKey, type RsaSpec } from "@/lib/crypto";
import type { KmsKey } from "@/lib/db/client";
import {
  dryRunSucceeded,
  IncorrectKeyException,
  InvalidCiphertextException,
  InvalidKeyUsageException,
  NotFoundException,
  UnsupportedOperationException,
} from "@/lib/errors";
import { messages, NO_MESSAGE } from "@/lib/errors/messages";
import { noteKey } from "@/lib/audit/context";
import { ENCRYPTION_ALGORITHM_SPEC } from "../aws-enums";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { loadKeyRow } from "../key-cache";
import { kmsContext, type KmsContext } from "../context";
import { withMaterial } from "../material";
import { keyMaterialId } from "../metadata";
import { resolveKey } from "../resolve";
import { assertEnabled, assertUsage } from "../state";
import { blobKeyId, decryptWithKey } from "../symmetric";
import { blob, boolField, encryptionContextField, enumField, grantTokensField, keyIdField, validateRequest } from "../validate";

const schema = z.object({
  CiphertextBlob: blob(1, 6144),
  EncryptionContext: encryptionContextField,
  GrantTokens: grantTokensField,
  KeyId: keyIdField.optional(),
  EncryptionAlgorithm: enumField(ENCRYPTION_ALGORITHM_SPEC).optional(),
  Recipient: z.unknown().optional(),
  DryRun: boolField,
});

export type DecryptRequest = z.input<typeof schema>;

/** Whether a blob is what an RSA key of this spec decrypts: exactly its modulus size. */
const isRsaCiphertextFor = (key: KmsKey, blobBytes: Buffer) =>
  key.keySpec.startsWith("RSA_") && blobBytes.length === Number(key.keySpec.slice(4)) / 8;

/** The key a symmetric ciphertext names in its header, or undefined when the blob is not one. */
function symmetricBlobKeyId(blobBytes: Buffer): string | undefined {
  try {
    return parseSymmetricHeader(blobBytes).keyId;
  } catch {
    return undefined;
  }
}

/**
 * Finds the key for a ciphertext: from the blob's header for symmetric
 * ciphertext (the KeyId, if given, must name that same key), or the given
 * KeyId for asymmetric ciphertext. As AWS: a KeyId that did not encrypt a
 * symmetric ciphertext is IncorrectKeyException, whatever kind of key it
 * names (symmetric, HMAC, signing or RSA).
 */
export async function keyForCiphertext(ctx: KmsContext, blobBytes: Buffer, keyIdParam: string | undefined): Promise<KmsKey> {
  const named = keyIdParam ? (await resolveKey(ctx, keyIdParam)).key : undefined;
  if (named && named.keySpec !== "SYMMETRIC_DEFAULT") {
    // An RSA ciphertext goes to the RSA key; a symmetric one was not made by this key.
    if (!isRsaCiphertextFor(named, blobBytes) && symmetricBlobKeyId(blobBytes) !== undefined) {
      throw new IncorrectKeyException(messages.incorrectKey);
    }
    return named;
  }
  const { keyId } = blobKeyId(blobBytes);
  if (named) {
    if (named.id !== keyId) throw new IncorrectKeyException(messages.incorrectKey);
    return named;
  }
  const key = await loadKeyRow(keyId);
  if (!key || key.deletedAt) throw new NotFoundException(messages.keyNotFound(ctx.keyArn(keyId)));
  noteKey(ctx.keyArn(key.id));
  return key;
}

export async function decryptCiphertext(
  ctx: KmsContext,
  key: KmsKey,
  req: { CiphertextBlob: Buffer; EncryptionContext?: Record<string, string>; EncryptionAlgorithm?: string },
  operation: string,
  dryRun?: boolean,
): Promise<{ plaintext: Buffer; algorithm: string; materialVersion?: number }> {
  assertEnabled(ctx, key);
  assertUsage(ctx, key, "ENCRYPT_DECRYPT", operation);
  const algorithm = req.EncryptionAlgorithm ?? "SYMMETRIC_DEFAULT";
  if (key.keySpec === "SYMMETRIC_DEFAULT") {
    if (algorithm !== "SYMMETRIC_DEFAULT") {
      throw new InvalidKeyUsageException(messages.algorithmIncompatible(algorithm, key.keySpec));
    }
    if (dryRun) dryRunSucceeded();
    const { plaintext, materialVersion } = await decryptWithKey(key, req.CiphertextBlob, req.EncryptionContext);
    return { plaintext, algorithm, materialVersion };
  }
  if (algorithm !== "RSAES_OAEP_SHA_1" && algorithm !== "RSAES_OAEP_SHA_256") {
    throw new InvalidKeyUsageException(messages.algorithmIncompatible(algorithm, key.keySpec));
  }
  // An RSA ciphertext is exactly the modulus size. OpenSSL would accept a
  // shorter one that lost leading zero bytes; AWS does not, and neither do we.
  const modulusBytes = Number(key.keySpec.slice(4)) / 8;
  if (req.CiphertextBlob.length !== modulusBytes) {
    throw new InvalidCiphertextException(NO_MESSAGE);
  }
  if (dryRun) dryRunSucceeded();
  const plaintext = await withMaterial(key, key.currentVersion, (material) => {
    try {
      return new RsaKey(key.keySpec as RsaSpec, material).decrypt(req.CiphertextBlob, algorithm);
    } catch {
      throw new InvalidCiphertextException(NO_MESSAGE);
    }
  });
  return { plaintext, algorithm };
}

export async function decrypt(
  caller: Principal,
  input: unknown,
): Promise<{ KeyId: string; Plaintext: Buffer; EncryptionAlgorithm: string; KeyMaterialId?: string }> {
  assertCallerActive(caller, "kms:Decrypt");
  const req = validateRequest(schema, input);
  if (req.Recipient !== undefined) {
    throw new UnsupportedOperationException(messages.recipientUnsupported);
  }
  const ctx = await kmsContext();
  const key = await keyForCiphertext(ctx, req.CiphertextBlob, req.KeyId);
  await authorizeKeyAction(caller, "kms:Decrypt", ctx, key, {
    encryptionContext: req.EncryptionContext,
    grantTokens: req.GrantTokens,
    values: { "kms:EncryptionAlgorithm": req.EncryptionAlgorithm ?? "SYMMETRIC_DEFAULT" },
  });
  const { plaintext, algorithm, materialVersion } = await decryptCiphertext(ctx, key, req, "Decrypt", req.DryRun);
  return {
    KeyId: ctx.keyArn(key.id),
    Plaintext: plaintext,
    EncryptionAlgorithm: algorithm,
    ...(materialVersion ? { KeyMaterialId: keyMaterialId(key.id, materialVersion) } : {}),
  };
}
