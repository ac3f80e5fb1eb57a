// ImportKeyMaterial: unwraps material the caller wrapped under a wrapping key
// from GetParametersForImport, checks it fits the key, and stores it like
// generated material (wrapped by the root key, AAD = key ID, version, spec).
// A key takes one material for life: after DeleteImportedKeyMaterial (or
// expiry) only the same material may come back, recognised by its
// fingerprint, and then every ciphertext made under it decrypts again.
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import {
  HMAC_KEY_BYTES,
  materialAad,
  unwrapImportedMaterial,
  wrappingKeyAad,
  type KeySpec,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from "@/lib/crypto";
import { prisma } from "@/lib/db/client";
import {
  ExpiredImportTokenException,
  IncorrectKeyMaterialException,
  InvalidCiphertextException,
  InvalidImportTokenException,
  KMSInternalException,
  NotFoundException,
  UnsupportedOperationException,
  ValidationException,
} from "@/lib/errors";
import { logger } from "@/lib/log";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { DAY_MS, now } from "../clock";
import { kmsContext, type KmsContext } from "../context";
import { assertExternal } from "../import/external-key";
import { materialFingerprint } from "../import/fingerprint";
import { macEquals } from "../import/import-key";
import { decodeImportToken } from "../import/token";
import { forgetMaterial } from "../material";
import { keyMaterialId } from "../metadata";
import { resolveKey } from "../resolve";
import { rootKeyStore } from "@/lib/crypto/keystore/process";
import { assertNotInState } from "../state";
import { assertLockedKey, lockKeyRow } from "./deletion";
import { blob, enumField, keyIdField, str, validateRequest } from "../validate";
import type { KmsKey } from "@/lib/db/client";

/** AWS: ValidTo must lie between 15 minutes and 365 days after the request. */
const MIN_VALIDITY_MS = 15 * 60 * 1000;
const MAX_VALIDITY_MS = 365 * DAY_MS;

const schema = z.object({
  KeyId: keyIdField,
  ImportToken: blob(1, 6144),
  EncryptedKeyMaterial: blob(1, 6144),
  ValidTo: z.date({ error: "Member must be a timestamp" }).optional(),
  ExpirationModel: enumField(["KEY_MATERIAL_EXPIRES", "KEY_MATERIAL_DOES_NOT_EXPIRE"] as const).optional(),
  ImportType: enumField(["NEW_KEY_MATERIAL", "EXISTING_KEY_MATERIAL"] as const).optional(),
  // Accepted for wire compatibility; Keyhold keeps one material per imported key and no description of it.
  KeyMaterialDescription: str(0, 256).optional(),
  KeyMaterialId: str(64, 64).optional(),
});
type Request = z.output<typeof schema>;

function expiration(req: Request, at: Date): { model: "KEY_MATERIAL_EXPIRES" | "KEY_MATERIAL_DOES_NOT_EXPIRE"; validTo?: Date } {
  // AWS: a ValidTo without a model means the material expires; neither means it does not.
  const model = req.ExpirationModel ?? (req.ValidTo ? "KEY_MATERIAL_EXPIRES" : "KEY_MATERIAL_DOES_NOT_EXPIRE");
  if (model === "KEY_MATERIAL_DOES_NOT_EXPIRE") {
    if (req.ValidTo) throw new ValidationException("ValidTo must be omitted when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.");
    return { model };
  }
  if (!req.ValidTo) throw new ValidationException("ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES.");
  const ahead = req.ValidTo.getTime() - at.getTime();
  if (ahead < MIN_VALIDITY_MS || ahead > MAX_VALIDITY_MS) {
    throw new ValidationException("ValidTo must be between 15 minutes and 365 days after the time of the request.");
  }
  return { model, validTo: req.ValidTo };
}

/** The material must be what the key spec takes (AWS: IncorrectKeyMaterialException for invalid material). */
function checkMaterialFits(ctx: KmsContext, key: KmsKey, material: Buffer): void {
  const spec = key.keySpec as KeySpec;
  const range =
    spec === "SYMMETRIC_DEFAULT" ? { min: 32, max: 32 } : (HMAC_KEY_BYTES as Record<string, { min: number; max: number } | undefined>)[spec];
  if (!range) {
    throw new UnsupportedOperationException(`Importing ${spec} key material is not supported by Keyhold.`);
  }
  if (material.length < range.min || material.length > range.max) {
    const size = range.min === range.max ? `${range.min} bytes` : `${range.min} to ${range.max} bytes`;
    throw new IncorrectKeyMaterialException(
      `The key material is ${material.length} bytes; ${ctx.keyArn(key.id)} is a ${spec} key, which takes ${size}.`,
    );
  }
}

/** The unwrapped material of the request, after checking its import token. The caller wipes it. */
async function unwrapRequestMaterial(ctx: KmsContext, key: KmsKey, req: Request, at: Date): Promise<Buffer> {
  const token = await decodeImportToken(req.ImportToken);
  if (token.keyId !== key.id) {
    throw new InvalidImportTokenException(`The import token was not issued for ${ctx.keyArn(key.id)}.`);
  }
  if (token.validTo.getTime() <= at.getTime()) {
    throw new ExpiredImportTokenException(
      `The import token expired at ${token.validTo.toISOString()}; call GetParametersForImport for new import parameters.`,
    );
  }
  const params = await prisma.importParameters.findUnique({ where: { id: token.parametersId } });
  if (!params || params.keyId !== key.id) throw new InvalidImportTokenException("The import token is invalid.");
  const algorithm = params.wrappingAlgorithm as WrappingAlgorithm;
  const spec = params.wrappingKeySpec as WrappingKeySpec;
  const store = await rootKeyStore();
  let privateKeyDer: Buffer;
  try {
    privateKeyDer = await store.unwrap(Buffer.from(params.privateKeyWrapped), wrappingKeyAad(params.id, key.id, algorithm, spec));
  } catch (e) {
    // Wrong root key or a tampered row: an operator problem, never the caller's.
    logger.error({ keyId: key.id, err: (e as Error).name }, "cannot unwrap an import wrapping key");
    throw new KMSInternalException("The import parameters could not be read.");
  }
  try {
    return unwrapImportedMaterial(privateKeyDer, spec, algorithm, req.EncryptedKeyMaterial);
  } catch {
    throw new InvalidCiphertextException(
      `The encrypted key material could not be decrypted with the wrapping key of this import token using ${algorithm}.`,
    );
  } finally {
    privateKeyDer.fill(0);
  }
}

export async function importKeyMaterial(caller: Principal, input: unknown): Promise<{ KeyId: string; KeyMaterialId: string }> {
  assertCallerActive(caller, "kms:ImportKeyMaterial");
  const req = validateRequest(schema, input);
  const ctx = await kmsContext();
  const { key } = await resolveKey(ctx, req.KeyId, { allowAlias: false });
  const at = now();
  await authorizeKeyAction(caller, "kms:ImportKeyMaterial", ctx, key, {
    values: {
      "kms:ExpirationModel": req.ExpirationModel ?? (req.ValidTo ? "KEY_MATERIAL_EXPIRES" : "KEY_MATERIAL_DOES_NOT_EXPIRE"),
      ...(req.ValidTo ? { "kms:ValidTo": Math.floor(req.ValidTo.getTime() / 1000) } : {}),
    },
  });
  assertExternal(ctx, key, "ImportKeyMaterial");
  assertNotInState(ctx, key, ["PendingDeletion"]);
  const { model, validTo } = expiration(req, at);
  const materialId = keyMaterialId(key.id, key.currentVersion);
  if (req.KeyMaterialId && req.KeyMaterialId !== materialId) {
    throw new NotFoundException(`Key material ${req.KeyMaterialId} does not exist in ${ctx.keyArn(key.id)}.`);
  }
  if (req.ImportType === "NEW_KEY_MATERIAL" && key.importFingerprint) {
    throw new UnsupportedOperationException(
      `${ctx.keyArn(key.id)} already has imported key material; Keyhold keeps one material per imported key (rotation of imported material is not supported). Re-import the same material instead.`,
    );
  }
  if (req.ImportType === "EXISTING_KEY_MATERIAL" && !key.importFingerprint) {
    throw new ValidationException(`No key material has been imported into ${ctx.keyArn(key.id)} yet; use NEW_KEY_MATERIAL.`);
  }

  const material = await unwrapRequestMaterial(ctx, key, req, at);
  try {
    checkMaterialFits(ctx, key, material);
    const fingerprint = await materialFingerprint(key.id, material);
    const differs = (stored: Uint8Array | null) => stored !== null && !macEquals(stored, fingerprint);
    const incorrect = () =>
      new IncorrectKeyMaterialException(
        `The key material is not the material previously imported into ${ctx.keyArn(key.id)}; only that material can be imported again.`,
      );
    if (differs(key.importFingerprint)) throw incorrect();
    // Wrapped like generated material, outside the transaction (no crypto while holding the row lock).
    const version = key.currentVersion;
    const store = await rootKeyStore();
    const wrapped = new Uint8Array(await store.wrap(material, materialAad(key.id, version, key.keySpec as KeySpec)));
    const d = store.describe();
    const wrappedBy = `${d.kind}:${String(d.fingerprint ?? "")}`;
    await prisma.$transaction(async (tx) => {
      const locked = await lockKeyRow(tx, key.id);
      assertLockedKey(ctx, key, locked, ["PendingDeletion"]);
      // A concurrent first import of other material may have won meanwhile.
      const current = await tx.kmsKey.findUniqueOrThrow({ where: { id: key.id }, select: { importFingerprint: true } });
      if (differs(current.importFingerprint)) throw incorrect();
      await tx.keyMaterial.upsert({
        where: { keyId_version: { keyId: key.id, version } },
        create: { keyId: key.id, version, wrapped, wrappedBy, createdAt: at },
        update: { wrapped, wrappedBy },
      });
      await tx.kmsKey.update({
        where: { id: key.id },
        data: {
          // AWS: PendingImport becomes Enabled; a Disabled key stays Disabled.
          ...(locked!.keyState === "PendingImport" ? { keyState: "Enabled" } : {}),
          importFingerprint: new Uint8Array(fingerprint),
          expirationModel: model,
          materialValidTo: validTo ?? null,
        },
      });
    });
  } finally {
    material.fill(0);
  }
  forgetMaterial(key.id);
  return { KeyId: ctx.keyArn(key.id), KeyMaterialId: materialId };
}
