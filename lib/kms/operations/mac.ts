import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { algorithmsFor, HmacKey, MAC_ALGORITHMS, type HmacSpec, type KeySpec, type MacAlgorithm } from "@/lib/crypto";
import type { KmsKey } from "@/lib/db/client";
import { dryRunSucceeded, InvalidKeyUsageException, KMSInvalidMacException } from "@/lib/errors";
import { messages, NO_MESSAGE } from "@/lib/errors/messages";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { kmsContext, type KmsContext } from "../context";
import { withMaterial } from "../material";
import { resolveKey } from "../resolve";
import { assertEnabled, assertUsage } from "../state";
import { blob, boolField, enumField, grantTokensField, keyIdField, validateRequest } from "../validate";

const generateSchema = z.object({
  Message: blob(1, 4096),
  KeyId: keyIdField,
  MacAlgorithm: enumField(MAC_ALGORITHMS),
  GrantTokens: grantTokensField,
  DryRun: boolField,
});

const verifySchema = generateSchema.extend({ Mac: blob(1, 6144) });

function checkMacRequest(ctx: KmsContext, key: KmsKey, operation: "GenerateMac" | "VerifyMac", algorithm: MacAlgorithm): void {
  assertEnabled(ctx, key);
  assertUsage(ctx, key, "GENERATE_VERIFY_MAC", operation);
  const allowed = algorithmsFor(key.keySpec as KeySpec, "GENERATE_VERIFY_MAC");
  if (!allowed.includes(algorithm)) {
    throw new InvalidKeyUsageException(messages.algorithmIncompatible(algorithm, key.keySpec));
  }
}

export async function generateMac(
  caller: Principal,
  input: unknown,
): Promise<{ Mac: Buffer; MacAlgorithm: string; KeyId: string }> {
  assertCallerActive(caller, "kms:GenerateMac");
  const req = validateRequest(generateSchema, input);
  const ctx = await kmsContext();
  const { key, requestAlias } = await resolveKey(ctx, req.KeyId);
  await authorizeKeyAction(caller, "kms:GenerateMac", ctx, key, { requestAlias, grantTokens: req.GrantTokens, values: { "kms:MacAlgorithm": req.MacAlgorithm } });
  checkMacRequest(ctx, key, "GenerateMac", req.MacAlgorithm);
  if (req.DryRun) dryRunSucceeded();
  const mac = await withMaterial(key, key.currentVersion, (material) =>
    new HmacKey(key.keySpec as HmacSpec, material).generateMac(req.Message, req.MacAlgorithm),
  );
  return { Mac: mac, MacAlgorithm: req.MacAlgorithm, KeyId: ctx.keyArn(key.id) };
}

export async function verifyMac(
  caller: Principal,
  input: unknown,
): Promise<{ KeyId: string; MacValid: true; MacAlgorithm: string }> {
  assertCallerActive(caller, "kms:VerifyMac");
  const req = validateRequest(verifySchema, input);
  const ctx = await kmsContext();
  const { key, requestAlias } = await resolveKey(ctx, req.KeyId);
  await authorizeKeyAction(caller, "kms:VerifyMac", ctx, key, { requestAlias, grantTokens: req.GrantTokens, values: { "kms:MacAlgorithm": req.MacAlgorithm } });
  checkMacRequest(ctx, key, "VerifyMac", req.MacAlgorithm);
  if (req.DryRun) dryRunSucceeded();
  const valid = await withMaterial(key, key.currentVersion, (material) =>
    new HmacKey(key.keySpec as HmacSpec, material).verifyMac(req.Message, req.Mac, req.MacAlgorithm),
  );
  // AWS: a MAC that does not verify is an exception, never MacValid: false.
  if (!valid) throw new KMSInvalidMacException(NO_MESSAGE);
  return { KeyId: ctx.keyArn(key.id), MacValid: true, MacAlgorithm: req.MacAlgorithm };
}
