// Symmetric encryption under a KMS key's current material, and decryption of
// a blob under whichever material version it names. Shared by Encrypt,
// Decrypt, ReEncrypt and the GenerateDataKey family.
import { decryptSymmetric, encryptSymmetric, isCiphertextError, parseSymmetricHeader, type EncryptionContext } from "@/lib/crypto";
import type { KmsKey } from "@/lib/db/client";
import { InvalidCiphertextException } from "@/lib/errors";
import { NO_MESSAGE } from "@/lib/errors/messages";
import { noteKeyMaterial } from "@/lib/audit/context";
import { keyMaterialId } from "./metadata";
import { withMaterial } from "./material";
import { hsmDecrypt, hsmEncrypt } from "./custom-key-store/hsm-key";

export async function encryptUnderKey(key: KmsKey, plaintext: Buffer, context: EncryptionContext | undefined): Promise<Buffer> {
  noteKeyMaterial(keyMaterialId(key.id, key.currentVersion));
  // A key in a custom key store: AES-GCM inside its HSM.
  if (key.customKeyStoreId) return hsmEncrypt(key, plaintext, context);
  return withMaterial(key, key.currentVersion, (material) =>
    encryptSymmetric(material, key.id, key.currentVersion, plaintext, context),
  );
}

// AWS answers every kind of bad ciphertext alike, with no message.
const INVALID = NO_MESSAGE;

/** The key ID a symmetric blob names, or InvalidCiphertextException. Not authenticated until decrypted. */
export function blobKeyId(blob: Buffer): { keyId: string; materialVersion: number } {
  try {
    return parseSymmetricHeader(blob);
  } catch {
    throw new InvalidCiphertextException(INVALID);
  }
}

export async function decryptWithKey(
  key: KmsKey,
  blob: Buffer,
  context: EncryptionContext | undefined,
): Promise<{ plaintext: Buffer; materialVersion: number }> {
  const { keyId, materialVersion } = blobKeyId(blob);
  if (keyId !== key.id) throw new InvalidCiphertextException(INVALID);
  // Versions are positive 32-bit integers in the database; anything else is a forged header.
  if (materialVersion < 1 || materialVersion > 0x7fffffff) throw new InvalidCiphertextException(INVALID);
  // Versions 1..currentVersion exist for every live key (rotation only adds;
  // deletion removes the key itself), so no query is needed to rule one out.
  if (materialVersion > key.currentVersion) throw new InvalidCiphertextException(INVALID);
  if (key.customKeyStoreId) {
    const plaintext = await hsmDecrypt(key, blob, context, INVALID);
    noteKeyMaterial(keyMaterialId(key.id, materialVersion));
    return { plaintext, materialVersion };
  }
  try {
    const plaintext = await withMaterial(key, materialVersion, (material) => decryptSymmetric(material, blob, context));
    noteKeyMaterial(keyMaterialId(key.id, materialVersion));
    return { plaintext, materialVersion };
  } catch (e) {
    // Material destroyed: the ciphertext can never be decrypted again.
    if (isCiphertextError(e) || (e instanceof Error && e.name === "KeyUnavailableException")) {
      throw new InvalidCiphertextException(INVALID);
    }
    throw e;
  }
}
