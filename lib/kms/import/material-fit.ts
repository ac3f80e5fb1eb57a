// Does unwrapped material fit the key it is imported into? Symmetric and HMAC
// keys take raw bytes of the sizes AWS allows; RSA and ECC keys take a PKCS#8
// private key of exactly their spec (AWS: IncorrectKeyMaterialException
// otherwise), stored in its canonical encoding.
import {
  canonicalImportedPrivateKey,
  HMAC_KEY_BYTES,
  isImportableAsymmetricSpec,
  type KeySpec,
} from "@/lib/crypto";
import type { KmsKey } from "@/lib/db/client";
import { IncorrectKeyMaterialException, UnsupportedOperationException } from "@/lib/errors";
import type { KmsContext } from "../context";
import { messages } from "@/lib/errors/messages";

/**
 * The material to store for `key`: `material` itself, or for asymmetric keys
 * a new canonical buffer (then `material` is wiped here). `material` is wiped
 * here too when it does not fit; the caller wipes the result.
 */
export function fittedMaterial(ctx: KmsContext, key: KmsKey, material: Buffer): Buffer {
  const spec = key.keySpec as KeySpec;
  if (isImportableAsymmetricSpec(spec)) {
    try {
      return canonicalImportedPrivateKey(spec, material);
    } catch {
      throw new IncorrectKeyMaterialException(
        messages.notPkcs8OfSpec(spec, ctx.keyArn(key.id)),
      );
    } finally {
      material.fill(0);
    }
  }
  try {
    checkSize(ctx, key, spec, material);
  } catch (e) {
    material.fill(0);
    throw e;
  }
  return material;
}

function checkSize(ctx: KmsContext, key: KmsKey, spec: KeySpec, material: Buffer): void {
  const range =
    spec === "SYMMETRIC_DEFAULT" ? { min: 32, max: 32 } : (HMAC_KEY_BYTES as Record<string, { min: number; max: number } | undefined>)[spec];
  if (!range) throw new UnsupportedOperationException(messages.importSpecUnsupported(spec));
  if (material.length < range.min || material.length > range.max) {
    const size = range.min === range.max ? `${range.min} bytes` : `${range.min} to ${range.max} bytes`;
    throw new IncorrectKeyMaterialException(
      messages.materialSize(material.length, ctx.keyArn(key.id), spec, size),
    );
  }
}
