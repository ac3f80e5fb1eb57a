// ImportKeyMaterial: unwraps material the caller wrapped under a wrapping key
// from GetParametersForImport, checks it fits the key, and stores it like
// generated material (wrapped by the root key, AAD = key ID, version, spec).
// Each material is a version of the key. A symmetric key may take new
// material (ImportType NEW_KEY_MATERIAL) as the next version, pending rotation
// until RotateKeyOnDemand makes it current; other keys take one material for
// life. A deleted or expired material may only come back as itself
// (recognised by its fingerprint), and then every ciphertext made under it
// decrypts again.
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import {
  materialAad,
  unwrapImportedMaterial,
  wrappingKeyAad,
  type KeySpec,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from "@/lib/crypto";
import { prisma, type KmsKey } from "@/lib/db/client";
import {
  ExpiredImportTokenException,
  InvalidCiphertextException,
  InvalidImportTokenException,
  KMSInternalException,
  KmsError,
  ValidationException,
} from "@/lib/errors";
import { logger } from "@/lib/log";
import { assertCallerActive, authorizeKeyAction } from "../authorize";
import { DAY_MS, now } from "../clock";
import { kmsContext, type KmsContext } from "../context";
import { assertExternal } from "../import/external-key";
import { materialFingerprint } from "../import/fingerprint";
import { fittedMaterial } from "../import/material-fit";
import { messages } from "@/lib/errors/messages";
import { importedMaterials, materialVersion, planImport } from "../import/plan";
import { decodeImportToken } from "../import/token";
import { forgetMaterial } from "../material";
import { keyMaterialId } from "../metadata";
import { resolveKey } from "../resolve";
import { rootKeyStore } from "@/lib/crypto/keystore/process";
import { assertNotInState } from "../state";
import { assertLockedKey, lockKeyRow } from "./deletion";
import { blob, enumField, keyIdField, str, validateRequest } from "../validate";

type ExpirationModel = "KEY_MATERIAL_EXPIRES" | "KEY_MATERIAL_DOES_NOT_EXPIRE";

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
  KeyMaterialDescription: str(0, 256).optional(),
  KeyMaterialId: str(64, 64).optional(),
});
type Request = z.output<typeof schema>;

function expiration(req: Request, at: Date): { model: ExpirationModel; validTo?: Date } {
  // AWS: without ExpirationModel the material expires (KEY_MATERIAL_EXPIRES), so ValidTo is required.
  const model = req.ExpirationModel ?? "KEY_MATERIAL_EXPIRES";
  if (model === "KEY_MATERIAL_DOES_NOT_EXPIRE") {
    if (req.ValidTo) throw new ValidationException(messages.validToNotAllowed);
    return { model };
  }
  if (!req.ValidTo) throw new ValidationException(messages.validToRequired);
  const ahead = req.ValidTo.getTime() - at.getTime();
  if (ahead < MIN_VALIDITY_MS || ahead > MAX_VALIDITY_MS) {
    throw new ValidationException(messages.validToRange);
  }
  return { model, validTo: req.ValidTo };
}

/** The unwrapped material of the request, after checking its import token. The caller wipes it. */
async function unwrapRequestMaterial(ctx: KmsContext, key: KmsKey, req: Request, at: Date): Promise<Buffer> {
  const token = await decodeImportToken(req.ImportToken);
  if (token.keyId !== key.id) {
    throw new InvalidImportTokenException(messages.importTokenForOtherKey(ctx.keyArn(key.id)));
  }
  if (token.validTo.getTime() <= at.getTime()) {
    throw new ExpiredImportTokenException(
      messages.importTokenExpired(token.validTo.toISOString()),
    );
  }
  const params = await prisma.importParameters.findUnique({ where: { id: token.parametersId } });
  if (!params || params.keyId !== key.id) throw new InvalidImportTokenException(messages.importTokenInvalid);
  const algorithm = params.wrappingAlgorithm as WrappingAlgorithm;
  const spec = params.wrappingKeySpec as WrappingKeySpec;
  const store = await rootKeyStore();
  let privateKeyDer: Buffer;
  try {
    privateKeyDer = await store.unwrap(Buffer.from(params.privateKeyWrapped), wrappingKeyAad(params.id, key.id, algorithm, spec));
  } catch (e) {
    // Wrong root key or a tampered row: an operator problem, never the caller's.
    logger.error({ keyId: key.id, err: (e as Error).name }, "cannot unwrap an import wrapping key");
    throw new KMSInternalException(messages.importParametersUnreadable);
  }
  try {
    return unwrapImportedMaterial(privateKeyDer, spec, algorithm, req.EncryptedKeyMaterial);
  } catch {
    throw new InvalidCiphertextException(
      messages.encryptedMaterialNotDecryptable(algorithm),
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
      "kms:ExpirationModel": req.ExpirationModel ?? "KEY_MATERIAL_EXPIRES",
      ...(req.ValidTo ? { "kms:ValidTo": Math.floor(req.ValidTo.getTime() / 1000) } : {}),
    },
  });
  assertExternal(ctx, key, "ImportKeyMaterial");
  assertNotInState(ctx, key, ["PendingDeletion"]);
  const { model, validTo } = expiration(req, at);
  const plan = planImport(ctx, key, req, await importedMaterials(prisma, key.id));

  const unwrapped = await unwrapRequestMaterial(ctx, key, req, at);
  const material = fittedMaterial(ctx, key, unwrapped);
  let version: number;
  try {
    const fingerprint = await materialFingerprint(key.id, material);
    version = materialVersion(ctx, key, plan, await importedMaterials(prisma, key.id), fingerprint);
    // Wrapped like generated material, outside the transaction (no crypto while holding the row lock).
    const store = await rootKeyStore();
    const wrapped = new Uint8Array(await store.wrap(material, materialAad(key.id, version, key.keySpec as KeySpec)));
    const d = store.describe();
    const wrappedBy = `${d.kind}:${String(d.fingerprint ?? "")}`;
    await prisma.$transaction(async (tx) => {
      const locked = await lockKeyRow(tx, key.id);
      assertLockedKey(ctx, key, locked, ["PendingDeletion"]);
      // Decided again under the lock: a concurrent import or rotation may have changed the key meanwhile.
      const current = await tx.kmsKey.findUniqueOrThrow({ where: { id: key.id } });
      const rows = await importedMaterials(tx, key.id);
      if (materialVersion(ctx, current, planImport(ctx, current, req, rows), rows, fingerprint) !== version) {
        throw new KmsError("ConflictException", messages.materialChangedConcurrently(ctx.keyArn(key.id)));
      }
      await tx.keyMaterial.upsert({
        where: { keyId_version: { keyId: key.id, version } },
        create: { keyId: key.id, version, wrapped, wrappedBy, createdAt: at },
        update: { wrapped, wrappedBy },
      });
      const expiry = { expirationModel: model, validTo: validTo ?? null };
      const description = req.KeyMaterialDescription !== undefined ? { description: req.KeyMaterialDescription } : {};
      await tx.importedMaterial.upsert({
        where: { keyId_version: { keyId: key.id, version } },
        create: { keyId: key.id, version, fingerprint: new Uint8Array(fingerprint), importedAt: at, ...expiry, ...description },
        update: { ...expiry, ...description },
      });
      if (version === current.currentVersion) {
        await tx.kmsKey.update({
          where: { id: key.id },
          data: {
            // AWS: PendingImport becomes Enabled; a Disabled key stays Disabled.
            ...(current.keyState === "PendingImport" ? { keyState: "Enabled" } : {}),
            importFingerprint: new Uint8Array(fingerprint),
            expirationModel: model,
            materialValidTo: validTo ?? null,
          },
        });
      }
    });
  } finally {
    material.fill(0);
  }
  forgetMaterial(key.id);
  return { KeyId: ctx.keyArn(key.id), KeyMaterialId: keyMaterialId(key.id, version) };
}
