import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { isCiphertextError, RsaKey, rsaMaxPlaintextBytes, type EncryptionAlgorithm, type KeySpec, type RsaSpec } from "@/lib/crypto";
import type { KmsKey } from "@/lib/db/client";
import { dryRunSucceeded, InvalidKeyUsageException, ValidationException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import { ENCRYPTION_ALGORITHM_SPEC } from "../aws-enums";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { kmsContext, type KmsContext } from "../context";
import { withMaterial } from "../material";
import { keyMaterialId } from "../metadata";
import { resolveKey } from "../resolve";
import { assertEnabled, assertUsage } from "../state";
import { encryptUnderKey } from "../symmetric";
import { blob, boolField, encryptionContextField, enumField, grantTokensField, keyIdField, validateRequest } from "../validate";
import { decryptCiphertext, keyForCiphertext } from "./decrypt";

// The AWS enum (SM2PKE included): an algorithm a key cannot use is InvalidKeyUsageException, not a validation error.
const ENCRYPTION_ALGORITHM_SPECS = ENCRYPTION_ALGORITHM_SPEC;

const schema = z.object({
  CiphertextBlob: blob(1, 6144).optional(),
  SourceEncryptionContext: encryptionContextField,
  SourceKeyId: keyIdField.optional(),
  DestinationKeyId: keyIdField,
  DestinationEncryptionContext: encryptionContextField,
  SourceEncryptionAlgorithm: enumField(ENCRYPTION_ALGORITHM_SPECS).optional(),
  DestinationEncryptionAlgorithm: enumField(ENCRYPTION_ALGORITHM_SPECS).optional(),
  GrantTokens: grantTokensField,
  DryRun: boolField,
  DryRunModifiers: z.array(enumField(["IGNORE_CIPHERTEXT"] as const)).optional(),
});

export interface ReEncryptResponse {
  CiphertextBlob: Buffer;
  SourceKeyId: string;
  KeyId: string;
  SourceEncryptionAlgorithm: string;
  DestinationEncryptionAlgorithm: string;
  SourceKeyMaterialId?: string;
  DestinationKeyMaterialId?: string;
}

/** Destination checks that need no plaintext: state, usage, algorithm, encryption context. */
function checkDestination(ctx: KmsContext, key: KmsKey, algorithm: string, context: Record<string, string> | undefined): void {
  assertEnabled(ctx, key);
  assertUsage(ctx, key, "ENCRYPT_DECRYPT", "ReEncrypt");
  if (key.keySpec === "SYMMETRIC_DEFAULT") {
    if (algorithm !== "SYMMETRIC_DEFAULT") {
      throw new InvalidKeyUsageException(messages.algorithmIncompatible(algorithm, key.keySpec));
    }
    return;
  }
  if (algorithm !== "RSAES_OAEP_SHA_1" && algorithm !== "RSAES_OAEP_SHA_256") {
    throw new InvalidKeyUsageException(messages.algorithmIncompatible(algorithm, key.keySpec));
  }
  if (context && Object.keys(context).length > 0) {
    throw new ValidationException(messages.contextWithAsymmetricKey("DestinationEncryptionContext"));
  }
}

async function encryptUnderDestination(
  key: KmsKey,
  plaintext: Buffer,
  algorithm: string,
  context: Record<string, string> | undefined,
): Promise<Buffer> {
  if (key.keySpec === "SYMMETRIC_DEFAULT") return encryptUnderKey(key, plaintext, context);
  const max = rsaMaxPlaintextBytes(key.keySpec as KeySpec, algorithm as EncryptionAlgorithm) ?? 0;
  if (plaintext.length > max) {
    throw new ValidationException(messages.rsaPlaintextTooLarge(algorithm, key.keySpec, max));
  }
  return withMaterial(key, key.currentVersion, (material) => {
    try {
      return new RsaKey(key.keySpec as RsaSpec, material).encrypt(plaintext, algorithm as EncryptionAlgorithm);
    } catch (e) {
      if (isCiphertextError(e)) throw new ValidationException(messages.cannotEncryptDestination);
      throw e;
    }
  });
}

/** ReEncrypt needs kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination. */
async function authorizeReEncrypt(
  caller: Principal,
  ctx: KmsContext,
  source: KmsKey,
  destination: KmsKey,
  req: {
    SourceEncryptionContext?: Record<string, string>;
    DestinationEncryptionContext?: Record<string, string>;
    SourceEncryptionAlgorithm?: string;
    DestinationEncryptionAlgorithm?: string;
    GrantTokens?: string[];
  },
): Promise<void> {
  const sameKey = source.id === destination.id;
  await authorizeKeyAction(caller, "kms:ReEncryptFrom", ctx, source, {
    encryptionContext: req.SourceEncryptionContext,
    grantTokens: req.GrantTokens,
    values: { "kms:ReEncryptOnSameKey": sameKey, "kms:EncryptionAlgorithm": req.SourceEncryptionAlgorithm ?? "SYMMETRIC_DEFAULT" },
  });
  await authorizeKeyAction(caller, "kms:ReEncryptTo", ctx, destination, {
    encryptionContext: req.DestinationEncryptionContext,
    grantTokens: req.GrantTokens,
    values: { "kms:ReEncryptOnSameKey": sameKey, "kms:EncryptionAlgorithm": req.DestinationEncryptionAlgorithm ?? "SYMMETRIC_DEFAULT" },
  });
}

export async function reEncrypt(caller: Principal, input: unknown): Promise<ReEncryptResponse> {
  assertCallerActive(caller, "kms:ReEncryptFrom");
  const req = validateRequest(schema, input);
  const ignoreCiphertext = req.DryRun === true && (req.DryRunModifiers ?? []).includes("IGNORE_CIPHERTEXT");
  const ctx = await kmsContext();
  const destinationAlgorithm = req.DestinationEncryptionAlgorithm ?? "SYMMETRIC_DEFAULT";

  if (ignoreCiphertext) {
    // AWS: authorization and key checks only; the source must then be named.
    if (!req.SourceKeyId) {
      throw new ValidationException(messages.sourceKeyIdForIgnoreCiphertext);
    }
    const { key: source } = await resolveKey(ctx, req.SourceKeyId);
    const { key: destination } = await resolveKey(ctx, req.DestinationKeyId);
    await authorizeReEncrypt(caller, ctx, source, destination, req);
    assertEnabled(ctx, source);
    assertUsage(ctx, source, "ENCRYPT_DECRYPT", "ReEncrypt");
    checkDestination(ctx, destination, destinationAlgorithm, req.DestinationEncryptionContext);
    dryRunSucceeded();
  }
  if (!req.CiphertextBlob) {
    throw new ValidationException(messages.required("CiphertextBlob"));
  }
  const blobBytes = req.CiphertextBlob;

  const source = await keyForCiphertext(ctx, blobBytes, req.SourceKeyId);
  const { key: destination } = await resolveKey(ctx, req.DestinationKeyId);
  await authorizeReEncrypt(caller, ctx, source, destination, req);
  assertEnabled(ctx, source);
  assertUsage(ctx, source, "ENCRYPT_DECRYPT", "ReEncrypt");
  checkDestination(ctx, destination, destinationAlgorithm, req.DestinationEncryptionContext);

  // With DryRun, decryptCiphertext stops after the source checks (DryRunOperationException).
  const { plaintext, algorithm: sourceAlgorithm, materialVersion } = await decryptCiphertext(
    ctx,
    source,
    { CiphertextBlob: blobBytes, EncryptionContext: req.SourceEncryptionContext, EncryptionAlgorithm: req.SourceEncryptionAlgorithm },
    "ReEncrypt",
    req.DryRun,
  );
  try {
    const ciphertext = await encryptUnderDestination(destination, plaintext, destinationAlgorithm, req.DestinationEncryptionContext);
    return {
      CiphertextBlob: ciphertext,
      SourceKeyId: ctx.keyArn(source.id),
      KeyId: ctx.keyArn(destination.id),
      SourceEncryptionAlgorithm: sourceAlgorithm,
      DestinationEncryptionAlgorithm: destinationAlgorithm,
      ...(materialVersion ? { SourceKeyMaterialId: keyMaterialId(source.id, materialVersion) } : {}),
      ...(destination.keySpec === "SYMMETRIC_DEFAULT"
        ? { DestinationKeyMaterialId: keyMaterialId(destination.id, destination.currentVersion) }
        : {}),
    };
  } finally {
    plaintext.fill(0);
  }
}
