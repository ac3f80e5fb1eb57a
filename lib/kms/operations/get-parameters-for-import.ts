// GetParametersForImport: a fresh RSA wrapping key for importing material into
// an EXTERNAL key. The public key goes to the caller; the private key is kept
// only wrapped by the root key, in an ImportParameters row valid for 24 hours
// that the (MAC'd) import token names.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { generateWrappingKeyPair, WRAPPING_ALGORITHMS, WRAPPING_KEY_SPECS, wrappingKeyAad } from "@/lib/crypto";
import { prisma } from "@/lib/db/client";
import { UnsupportedOperationException, ValidationException } from "@/lib/errors";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { DAY_MS, now } from "../clock";
import { kmsContext } from "../context";
import { assertExternal } from "../import/external-key";
import { messages } from "@/lib/errors/messages";
import { encodeImportToken } from "../import/token";
import { resolveKey } from "../resolve";
import { rootKeyStore } from "@/lib/crypto/keystore/process";
import { assertNotInState } from "../state";
import { enumField, keyIdField, validateRequest } from "../validate";

/** AWS: the public key and import token are valid for 24 hours. */
export const IMPORT_PARAMETERS_VALIDITY_MS = DAY_MS;

// The model's enums also hold RSAES_PKCS1_V1_5 (withdrawn by AWS), SM2PKE and
// SM2 (China Regions only); they are refused below with a reason, not as
// malformed requests.
const schema = z.object({
  KeyId: keyIdField,
  WrappingAlgorithm: enumField([
    "RSAES_PKCS1_V1_5",
    "RSAES_OAEP_SHA_1",
    "RSAES_OAEP_SHA_256",
    "RSA_AES_KEY_WRAP_SHA_1",
    "RSA_AES_KEY_WRAP_SHA_256",
    "SM2PKE",
  ] as const),
  WrappingKeySpec: enumField(["RSA_2048", "RSA_3072", "RSA_4096", "SM2"] as const),
});

type Algorithm = (typeof WRAPPING_ALGORITHMS)[number];
type Spec = (typeof WRAPPING_KEY_SPECS)[number];

export async function getParametersForImport(
  caller: Principal,
  input: unknown,
): Promise<{ KeyId: string; ImportToken: Buffer; PublicKey: Buffer; ParametersValidTo: Date }> {
  assertCallerActive(caller, "kms:GetParametersForImport");
  const req = validateRequest(schema, input);
  const ctx = await kmsContext();
  // AWS: key ID or key ARN, not an alias.
  const { key } = await resolveKey(ctx, req.KeyId, { allowAlias: false });
  await authorizeKeyAction(caller, "kms:GetParametersForImport", ctx, key, {
    values: { "kms:WrappingAlgorithm": req.WrappingAlgorithm, "kms:WrappingKeySpec": req.WrappingKeySpec },
  });
  assertExternal(ctx, key, "GetParametersForImport");
  assertNotInState(ctx, key, ["PendingDeletion"]);
  if (!(WRAPPING_ALGORITHMS as readonly string[]).includes(req.WrappingAlgorithm)) {
    throw new UnsupportedOperationException(
      messages.wrappingAlgorithmUnsupported(req.WrappingAlgorithm, WRAPPING_ALGORITHMS),
    );
  }
  if (!(WRAPPING_KEY_SPECS as readonly string[]).includes(req.WrappingKeySpec)) {
    throw new UnsupportedOperationException(
      messages.wrappingKeySpecUnsupported(req.WrappingKeySpec, WRAPPING_KEY_SPECS),
    );
  }
  const algorithm = req.WrappingAlgorithm as Algorithm;
  const spec = req.WrappingKeySpec as Spec;
  // AWS: an RSA private key is too long for RSAES_OAEP with any wrapping key,
  // an ECC_NIST_P521 one too long for it with RSA_2048: RSA_AES_KEY_WRAP only.
  if (algorithm.startsWith("RSAES_OAEP_") && (key.keySpec.startsWith("RSA_") || (key.keySpec === "ECC_NIST_P521" && spec === "RSA_2048"))) {
    throw new ValidationException(messages.wrappingAlgorithmNotForSpec(algorithm, spec, key.keySpec));
  }

  const id = randomUUID();
  const createdAt = now();
  const validTo = new Date(createdAt.getTime() + IMPORT_PARAMETERS_VALIDITY_MS);
  const pair = await generateWrappingKeyPair(spec);
  const store = await rootKeyStore();
  let privateKeyWrapped: Buffer;
  try {
    privateKeyWrapped = await store.wrap(pair.privateKeyDer, wrappingKeyAad(id, key.id, algorithm, spec));
  } finally {
    pair.privateKeyDer.fill(0);
  }
  const d = store.describe();
  await prisma.importParameters.create({
    data: {
      id,
      keyId: key.id,
      wrappingAlgorithm: algorithm,
      wrappingKeySpec: spec,
      privateKeyWrapped: new Uint8Array(privateKeyWrapped),
      wrappedBy: `${d.kind}:${String(d.fingerprint ?? "")}`,
      createdAt,
      validTo,
    },
  });
  return {
    KeyId: ctx.keyArn(key.id),
    ImportToken: await encodeImportToken({ parametersId: id, keyId: key.id, validTo }),
    PublicKey: pair.publicKeyDer,
    ParametersValidTo: validTo,
  };
}
