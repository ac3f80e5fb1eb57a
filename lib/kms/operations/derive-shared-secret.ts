import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { algorithmsFor, CryptoError, EcKey, EcPublicKey, KEY_AGREEMENT_ALGORITHMS, type EcSpec, type KeySpec } from "@/lib/crypto";
import { dryRunSucceeded, InvalidKeyUsageException, UnsupportedOperationException, ValidationException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { kmsContext } from "../context";
import { withMaterial } from "../material";
import { resolveKey } from "../resolve";
import { assertEnabled, assertUsage } from "../state";
import { blob, boolField, enumField, grantTokensField, keyIdField, validateRequest } from "../validate";

const schema = z.object({
  KeyId: keyIdField,
  KeyAgreementAlgorithm: enumField(KEY_AGREEMENT_ALGORITHMS),
  PublicKey: blob(1, 8192),
  GrantTokens: grantTokensField,
  DryRun: boolField,
  Recipient: z.unknown().optional(),
});

const invalidPeer = (spec: string) =>
  new ValidationException(messages.invalidPeerPublicKey(spec));

export async function deriveSharedSecret(
  caller: Principal,
  input: unknown,
): Promise<{ KeyId: string; SharedSecret: Buffer; KeyAgreementAlgorithm: string; KeyOrigin: string }> {
  assertCallerActive(caller, "kms:DeriveSharedSecret");
  const req = validateRequest(schema, input);
  if (req.Recipient !== undefined) {
    throw new UnsupportedOperationException(messages.recipientUnsupported);
  }
  const ctx = await kmsContext();
  const { key, requestAlias } = await resolveKey(ctx, req.KeyId);
  await authorizeKeyAction(caller, "kms:DeriveSharedSecret", ctx, key, { requestAlias, grantTokens: req.GrantTokens, values: { "kms:KeyAgreementAlgorithm": req.KeyAgreementAlgorithm } });
  assertEnabled(ctx, key);
  assertUsage(ctx, key, "KEY_AGREEMENT", "DeriveSharedSecret");
  const spec = key.keySpec as KeySpec;
  if (!algorithmsFor(spec, "KEY_AGREEMENT").includes(req.KeyAgreementAlgorithm)) {
    throw new InvalidKeyUsageException(messages.algorithmIncompatible(req.KeyAgreementAlgorithm, key.keySpec));
  }
  // The peer key must parse as an SPKI on the key's curve (point validated) before any private-key work.
  try {
    new EcPublicKey(spec as EcSpec, req.PublicKey);
  } catch (e) {
    if (e instanceof CryptoError) throw invalidPeer(spec);
    throw e;
  }
  if (req.DryRun) dryRunSucceeded();
  const secret = await withMaterial(key, key.currentVersion, (material) => {
    try {
      return new EcKey(spec as EcSpec, material).deriveSharedSecret(req.PublicKey);
    } catch (e) {
      if (e instanceof CryptoError && e.kind === "InvalidPublicKey") throw invalidPeer(spec);
      throw e;
    }
  });
  return {
    KeyId: ctx.keyArn(key.id),
    SharedSecret: secret,
    KeyAgreementAlgorithm: req.KeyAgreementAlgorithm,
    KeyOrigin: key.origin,
  };
}
