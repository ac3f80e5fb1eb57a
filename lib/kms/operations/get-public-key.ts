import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { describeAlgorithms, openKey, type KeySpec, type KeyUsage } from "@/lib/crypto";
import { UnsupportedOperationException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { kmsContext } from "../context";
import { withMaterial } from "../material";
import { resolveKey } from "../resolve";
import { assertEnabled } from "../state";
import { grantTokensField, keyIdField, validateRequest } from "../validate";

const schema = z.object({ KeyId: keyIdField, GrantTokens: grantTokensField });

export interface GetPublicKeyResponse {
  KeyId: string;
  PublicKey: Buffer;
  CustomerMasterKeySpec: string;
  KeySpec: string;
  KeyUsage: string;
  EncryptionAlgorithms?: string[];
  SigningAlgorithms?: string[];
  KeyAgreementAlgorithms?: string[];
}

export async function getPublicKey(caller: Principal, input: unknown): Promise<GetPublicKeyResponse> {
  assertCallerActive(caller, "kms:GetPublicKey");
  const req = validateRequest(schema, input);
  const ctx = await kmsContext();
  const { key, requestAlias } = await resolveKey(ctx, req.KeyId);
  await authorizeKeyAction(caller, "kms:GetPublicKey", ctx, key, { requestAlias, grantTokens: req.GrantTokens });
  // AWS: GetPublicKey needs an Enabled key (DisabledException / KMSInvalidStateException otherwise).
  assertEnabled(ctx, key);
  const spec = key.keySpec as KeySpec;
  if (spec === "SYMMETRIC_DEFAULT" || spec.startsWith("HMAC_")) {
    throw new UnsupportedOperationException(messages.keyUsage(ctx.keyArn(key.id), key.keyUsage, "GetPublicKey"));
  }
  const publicKey = await withMaterial(key, key.currentVersion, (material) => {
    const handle = openKey(spec, material);
    try {
      if (handle.kind === "symmetric" || handle.kind === "hmac") throw new UnsupportedOperationException(messages.keyUsage(ctx.keyArn(key.id), key.keyUsage, "GetPublicKey"));
      return handle.publicKeyDer();
    } finally {
      if (handle.kind === "ml-dsa") handle.destroy();
    }
  });
  const { EncryptionAlgorithms, SigningAlgorithms, KeyAgreementAlgorithms } = describeAlgorithms(spec, key.keyUsage as KeyUsage);
  return {
    KeyId: ctx.keyArn(key.id),
    PublicKey: publicKey,
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    KeyUsage: key.keyUsage,
    ...(EncryptionAlgorithms ? { EncryptionAlgorithms } : {}),
    ...(SigningAlgorithms ? { SigningAlgorithms } : {}),
    ...(KeyAgreementAlgorithms ? { KeyAgreementAlgorithms } : {}),
  };
}
