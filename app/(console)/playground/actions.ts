"use server";

import { runAction } from "@/lib/console/run";
import { invokeKms } from "@/lib/kms/invoke";

const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");

/** GenerateDataKey: the plaintext data key goes to the browser (this is a demo), with its wrapped copy. */
export async function generateDataKeyAction(keyId: string, context: Record<string, string>) {
  return runAction(async (caller) => {
    const r = (await invokeKms(
      "GenerateDataKey",
      caller,
      { KeyId: keyId, KeySpec: "AES_256", ...(Object.keys(context).length ? { EncryptionContext: context } : {}) },
      { source: "console" },
    )) as { CiphertextBlob: Uint8Array; Plaintext: Uint8Array; KeyId: string };
    return { wrappedKey: b64(r.CiphertextBlob), dataKey: b64(r.Plaintext), keyArn: r.KeyId };
  });
}

/** Decrypt of the wrapped data key; the encryption context must match the one used to generate it. */
export async function decryptDataKeyAction(wrappedKey: string, context: Record<string, string>) {
  return runAction(async (caller) => {
    const r = (await invokeKms(
      "Decrypt",
      caller,
      { CiphertextBlob: new Uint8Array(Buffer.from(wrappedKey, "base64")), ...(Object.keys(context).length ? { EncryptionContext: context } : {}) },
      { source: "console" },
    )) as { Plaintext: Uint8Array; KeyId: string };
    return { dataKey: b64(r.Plaintext), keyArn: r.KeyId };
  });
}
