// Shared fixtures for the key-service crypto tests: principals, key factories and a rejection helper.
import { prisma, type KmsKey } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { withMaterial } from "@/lib/kms/material";
import { createKey } from "@/lib/kms/operations/create-key";
import { disableKey } from "@/lib/kms/operations/enable-disable-key";
import { makeUser } from "../../helpers";

export interface Principals {
  /** KEY_ADMINISTRATOR: creates and manages keys, may not use them. */
  admin: Principal;
  /** KEY_USER: uses keys. */
  user: Principal;
  auditor: Principal;
}

export async function principals(): Promise<Principals> {
  const [admin, user, auditor] = await Promise.all([
    makeUser("KEY_ADMINISTRATOR"),
    makeUser("KEY_USER"),
    makeUser("AUDITOR"),
  ]);
  return { admin: admin.principal, user: user.principal, auditor: auditor.principal };
}

export interface CreatedKey {
  id: string;
  arn: string;
  keySpec: string;
  keyUsage: string;
}

export async function newKey(
  admin: Principal,
  keySpec: string,
  keyUsage: string,
  extra: Record<string, unknown> = {},
): Promise<CreatedKey> {
  const { KeyMetadata } = await createKey(admin, { KeySpec: keySpec, KeyUsage: keyUsage, ...extra });
  return { id: KeyMetadata.KeyId, arn: KeyMetadata.Arn, keySpec, keyUsage };
}

export async function disable(admin: Principal, key: CreatedKey): Promise<void> {
  await disableKey(admin, { KeyId: key.id });
}

/** ScheduleKeyDeletion belongs to another module: set the state on the row as it would. */
export async function markPendingDeletion(key: CreatedKey): Promise<void> {
  await prisma.kmsKey.update({
    where: { id: key.id },
    data: { keyState: "PendingDeletion", deletionDate: new Date(Date.now() + 7 * 86_400_000), pendingWindowInDays: 7 },
  });
}

/** A copy of a key version's plaintext material, for checks an outside party could not make (HMAC, leak scan). */
export async function materialOf(key: CreatedKey, version = 1): Promise<Buffer> {
  const row: KmsKey = await prisma.kmsKey.findUniqueOrThrow({ where: { id: key.id } });
  return withMaterial(row, version, (m) => Buffer.from(m));
}

export interface Rejection {
  name: string;
  message: string;
  status?: number;
}

export async function rejection(p: Promise<unknown>): Promise<Rejection> {
  try {
    await p;
  } catch (e) {
    return e as Rejection;
  }
  throw new Error("expected the call to fail");
}

/** The exception name a call fails with, or "ok". */
export async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    return (e as Error).name;
  }
}
