import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import {
  algorithmsFor,
  digestLengthFor,
  isSigningAlgorithm,
  messageTypesFor,
  openKey,
  type KeySpec,
  type MessageType,
  type SigningAlgorithm,
  type SigningKeyHandle,
} from "@/lib/crypto";
import type { KmsKey } from "@/lib/db/client";
import {
  dryRunSucceeded,
  InvalidKeyUsageException,
  KMSInternalException,
  KMSInvalidSignatureException,
  ValidationException,
} from "@/lib/errors";
import { messages, NO_MESSAGE } from "@/lib/errors/messages";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { kmsContext, type KmsContext } from "../context";
import { withMaterial } from "../material";
import { resolveKey } from "../resolve";
import { assertEnabled, assertUsage } from "../state";
import { blob, boolField, enumField, grantTokensField, keyIdField, validateRequest } from "../validate";

/** The AWS SigningAlgorithmSpec enum (SM2DSA included: a valid name that no Keyhold key supports). */
const SIGNING_ALGORITHM_SPECS = [
  "RSASSA_PSS_SHA_256",
  "RSASSA_PSS_SHA_384",
  "RSASSA_PSS_SHA_512",
  "RSASSA_PKCS1_V1_5_SHA_256",
  "RSASSA_PKCS1_V1_5_SHA_384",
  "RSASSA_PKCS1_V1_5_SHA_512",
  "ECDSA_SHA_256",
  "ECDSA_SHA_384",
  "ECDSA_SHA_512",
  "SM2DSA",
  "ML_DSA_SHAKE_256",
  "ED25519_SHA_512",
  "ED25519_PH_SHA_512",
] as const;
const MESSAGE_TYPE_SPECS = ["RAW", "DIGEST", "EXTERNAL_MU"] as const;

const signSchema = z.object({
  KeyId: keyIdField,
  Message: blob(1, 4096),
  MessageType: enumField(MESSAGE_TYPE_SPECS).optional(),
  GrantTokens: grantTokensField,
  SigningAlgorithm: enumField(SIGNING_ALGORITHM_SPECS),
  DryRun: boolField,
});

const verifySchema = signSchema.extend({ Signature: blob(1, 6144) });

/**
 * State, usage, algorithm and message checks shared by Sign and Verify, before any key material
 * is touched: an algorithm the key does not support is InvalidKeyUsageException (as AWS); a message
 * type or length that does not fit the algorithm is ValidationException.
 */
function checkSigningRequest(
  ctx: KmsContext,
  key: KmsKey,
  operation: "Sign" | "Verify",
  algorithm: string,
  messageType: MessageType,
  message: Buffer,
): SigningAlgorithm {
  assertEnabled(ctx, key);
  assertUsage(ctx, key, "SIGN_VERIFY", operation);
  const allowed = algorithmsFor(key.keySpec as KeySpec, "SIGN_VERIFY");
  if (!isSigningAlgorithm(algorithm) || !allowed.includes(algorithm)) {
    throw new InvalidKeyUsageException(messages.algorithmIncompatible(algorithm, key.keySpec));
  }
  if (!messageTypesFor(algorithm).includes(messageType)) {
    // AWS names the key spec for an ML-DSA key and the algorithm otherwise (the Ed25519 pair).
    throw new ValidationException(
      key.keySpec.startsWith("ML_DSA_")
        ? messages.messageTypeForKeySpec(messageType, key.keySpec)
        : messages.messageTypeForAlgorithm(messageType, algorithm),
    );
  }
  const want = digestLengthFor(algorithm, messageType);
  if (want !== undefined && message.length !== want) {
    throw new ValidationException(
      messageType === "DIGEST" ? messages.digestLength(algorithm) : messages.externalMuLength(algorithm, want, message.length),
    );
  }
  return algorithm;
}

/** Runs `use` with the key's signing handle; the material and any expanded secret are wiped afterwards. */
function withSigningKey<T>(key: KmsKey, fn: (handle: SigningKeyHandle) => T): Promise<T> {
  return withMaterial(key, key.currentVersion, (material) => {
    const handle = openKey(key.keySpec as KeySpec, material);
    try {
      if (handle.kind === "symmetric" || handle.kind === "hmac") {
        throw new KMSInternalException(messages.keyCannotSign); // usage was checked: a corrupt row
      }
      return fn(handle);
    } finally {
      if (handle.kind === "ml-dsa") handle.destroy();
    }
  });
}

export async function sign(
  caller: Principal,
  input: unknown,
): Promise<{ KeyId: string; Signature: Buffer; SigningAlgorithm: string }> {
  assertCallerActive(caller, "kms:Sign");
  const req = validateRequest(signSchema, input);
  const ctx = await kmsContext();
  const { key, requestAlias } = await resolveKey(ctx, req.KeyId);
  await authorizeKeyAction(caller, "kms:Sign", ctx, key, { requestAlias, grantTokens: req.GrantTokens, values: { "kms:SigningAlgorithm": req.SigningAlgorithm, "kms:MessageType": req.MessageType ?? "RAW" } });
  const messageType = req.MessageType ?? "RAW";
  const algorithm = checkSigningRequest(ctx, key, "Sign", req.SigningAlgorithm, messageType, req.Message);
  if (req.DryRun) dryRunSucceeded();
  const signature = await withSigningKey(key, (handle) => handle.sign(req.Message, algorithm, messageType));
  return { KeyId: ctx.keyArn(key.id), Signature: signature, SigningAlgorithm: algorithm };
}

export async function verify(
  caller: Principal,
  input: unknown,
): Promise<{ KeyId: string; SignatureValid: true; SigningAlgorithm: string }> {
  assertCallerActive(caller, "kms:Verify");
  const req = validateRequest(verifySchema, input);
  const ctx = await kmsContext();
  const { key, requestAlias } = await resolveKey(ctx, req.KeyId);
  await authorizeKeyAction(caller, "kms:Verify", ctx, key, { requestAlias, grantTokens: req.GrantTokens, values: { "kms:SigningAlgorithm": req.SigningAlgorithm, "kms:MessageType": req.MessageType ?? "RAW" } });
  const messageType = req.MessageType ?? "RAW";
  const algorithm = checkSigningRequest(ctx, key, "Verify", req.SigningAlgorithm, messageType, req.Message);
  if (req.DryRun) dryRunSucceeded();
  const valid = await withSigningKey(key, (handle) => handle.verify(req.Message, req.Signature, algorithm, messageType));
  // AWS: a signature that does not verify is an exception, never SignatureValid: false.
  if (!valid) throw new KMSInvalidSignatureException(NO_MESSAGE); // AWS: no message
  return { KeyId: ctx.keyArn(key.id), SignatureValid: true, SigningAlgorithm: algorithm };
}
