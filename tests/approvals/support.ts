// Shared by the approvals tests: three administrators who step up with one
// password, a rule helper, and the audit events that name a request.
import { afterAll, beforeAll, expect } from "vitest";
import { decideApprovalRequest, updateApprovalRule } from "@/lib/approvals";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { makeUser, operator } from "../helpers";
import { auditEvents } from "../support/audit-rows";
import { rejection } from "../policy/fixtures";

export const PASSWORD = "approver step-up password";

export async function administrators(n: number): Promise<Principal[]> {
  return Promise.all(Array.from({ length: n }, async () => (await makeUser("ADMINISTRATOR", { password: PASSWORD })).principal));
}

/** Sets the operation's rule as the host's operator; without `ttlSeconds` a request keeps the default time to live. */
export async function requireApprovals(operation: string, approvals: number, ttlSeconds?: number): Promise<void> {
  await updateApprovalRule(await operator(), { operation, approvals, ...(ttlSeconds !== undefined ? { ttlSeconds } : {}) });
}

export const decide = (caller: Principal, requestId: string, decision: "approve" | "reject") =>
  decideApprovalRequest(caller, { requestId, decision, reason: `${decision} by ${caller.username}`, password: PASSWORD });

/** Expects the call held for approval and answers the request ID it names. */
export async function heldId(p: Promise<unknown>): Promise<string> {
  const e = await rejection(p);
  expect(e.name).toBe("AccessDeniedException");
  const id = e.message.match(/Approval request ([0-9a-f-]{36}) was created/)?.[1];
  expect(id, e.message).toBeDefined();
  return id!;
}

/** Every stored form of the request's events, as text (to search for secrets). */
export async function eventsText(requestId: string): Promise<{ names: Array<[string, string | null]>; text: string }> {
  const rows = await auditEvents({ orderBy: { id: "asc" } }, requestId);
  return { names: rows.map((r) => [r.eventName, r.errorCode]), text: rows.map((r) => r.record).join("\n") };
}

/** Every spelling of a secret a record or row could carry. */
export const spellings = (secret: Uint8Array | string) => {
  const b = Buffer.from(secret);
  return [b.toString("utf8"), b.toString("base64"), b.toString("hex"), b.toString("base64url")].filter((s) => s.length >= 8).map((s) => s.slice(0, 24));
};

/**
 * The administrators a file makes are disabled when it ends: the test files
 * share one database, and other files count the active administrators (a
 * rule needs M+1 of them).
 */
export function retireAdministratorsAfterFile(): void {
  let started: Date;
  beforeAll(() => {
    started = new Date();
  });
  afterAll(async () => {
    await prisma.user.updateMany({ where: { role: "ADMINISTRATOR", createdAt: { gte: started } }, data: { disabled: true } });
  });
}
