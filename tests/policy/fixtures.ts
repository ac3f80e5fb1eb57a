// Shared fixtures for the policy tests.
import { randomUUID } from "node:crypto";
import type { Principal } from "@/lib/auth/principal";
import type { Role } from "@/lib/db/client";
import { invokeKms } from "@/lib/kms/invoke";
import { makeUser, operator } from "../helpers";

export const call = (op: string, caller: Principal, input: object) => invokeKms(op, caller, input, { source: "console" });

export async function outcome(p: Promise<unknown>): Promise<{ ok: boolean; name?: string; message?: string; value?: unknown }> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    return { ok: false, name: (e as Error).name, message: (e as Error).message };
  }
}

export async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  const r = await outcome(p);
  if (r.ok) throw new Error("expected the call to fail");
  return { name: r.name!, message: r.message! };
}

export async function userWith(role: Role | null): Promise<Principal> {
  return (await makeUser(role)).principal;
}

export async function rootKey(input: object = {}): Promise<{ id: string; arn: string }> {
  const out = (await call("CreateKey", await operator(), input)) as { KeyMetadata: { KeyId: string; Arn: string } };
  return { id: out.KeyMetadata.KeyId, arn: out.KeyMetadata.Arn };
}

export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export function policy(...statements: object[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

export function rootStatement(account: string): object {
  return { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" };
}
