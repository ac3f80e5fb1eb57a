// Shared fixtures for the key lifecycle tests (aliases, tags, deletion, rotation).
import type { Principal } from "@/lib/auth/principal";
import { setClock } from "@/lib/kms/clock";
import { createKey } from "@/lib/kms/operations/create-key";
import { decrypt } from "@/lib/kms/operations/decrypt";
import { encrypt } from "@/lib/kms/operations/encrypt";
import { makeUser } from "../../helpers";

export interface Callers {
  admin: Principal;
  keyAdmin: Principal;
  keyUser: Principal;
  auditor: Principal;
}

export async function callers(): Promise<Callers> {
  const [admin, keyAdmin, keyUser, auditor] = await Promise.all([
    makeUser("ADMINISTRATOR"),
    makeUser("KEY_ADMINISTRATOR"),
    makeUser("KEY_USER"),
    makeUser("AUDITOR"),
  ]);
  return { admin: admin.principal, keyAdmin: keyAdmin.principal, keyUser: keyUser.principal, auditor: auditor.principal };
}

export async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    return e as { name: string; message: string; status?: number };
  }
  throw new Error("expected the call to fail");
}

/** Creates a key (symmetric by default) and returns its ID and ARN. */
export async function newKey(caller: Principal, input: Record<string, unknown> = {}): Promise<{ id: string; arn: string }> {
  const { KeyMetadata } = await createKey(caller, input);
  return { id: KeyMetadata.KeyId, arn: KeyMetadata.Arn };
}

export const bytes = (s: string) => new TextEncoder().encode(s);

export async function encryptText(caller: Principal, keyId: string, text: string, context?: Record<string, string>) {
  return encrypt(caller, { KeyId: keyId, Plaintext: bytes(text), ...(context ? { EncryptionContext: context } : {}) });
}

export async function decryptText(caller: Principal, blob: Uint8Array, context?: Record<string, string>): Promise<string> {
  const out = await decrypt(caller, { CiphertextBlob: blob, ...(context ? { EncryptionContext: context } : {}) });
  return Buffer.from(out.Plaintext).toString("utf8");
}

/** Fixes the key service's clock at `at` (restore with restoreClock in afterEach). */
export function freezeClock(at: Date): void {
  setClock(() => new Date(at.getTime()));
}

export function restoreClock(): void {
  setClock(undefined);
}
