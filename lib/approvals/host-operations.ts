// Root key migration and unseal-key rekey under quorum. Both run on the host
// (`keyhold root-key migrate` with the server stopped, `keyhold root-key
// rekey` on its memory), so the approving call cannot run them. Instead a
// signed-in administrator requests one in the console, naming its target (the
// store kind, M of N; never a secret); the Mth approval makes the request
// `approved` (decide.ts); the CLI then refuses to run without `--approval
// <request-id>` of such a request for the same operation and target, and
// running it marks the request executed: single use. Without a rule the CLI
// runs as it always did.
import { authorize } from "@/lib/access/authorize";
import { audited } from "@/lib/audit";
import type { ApprovalFacts } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/principal";
import { ROOT_KEY_STORE_KINDS, type RootKeyStoreKind } from "@/lib/crypto/keystore/custody-record";
import { prisma, type Prisma } from "@/lib/db/client";
import { AccessDeniedException, NotFoundException, ValidationException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import type { InvocationMeta } from "@/lib/kms/invoke";
import { custodyStatusUnaudited, type HostRunApproval } from "@/lib/kms/root-key-custody";
import { ApprovalRequiredException, hold } from "./gate";
import type { HostOperation } from "./operations";
import { ruleFor } from "./rules";

export const ROOT_KEY_EVENT_SOURCE = "keyhold.root-key";

/** What a request approves: the same target must be given to the CLI. */
export type HostTarget = { to: RootKeyStoreKind; custodians?: number; threshold?: number } | { custodians: number; threshold: number };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function shamirSplit(raw: Record<string, unknown>, what: string): { custodians: number; threshold: number } {
  const custodians = Number(raw.custodians);
  const threshold = Number(raw.threshold);
  if (!Number.isInteger(custodians) || !Number.isInteger(threshold) || threshold < 2 || custodians < threshold || custodians > 255) {
    throw new ValidationException(`${what} needs custodians N and threshold M, whole numbers with 2 ≤ M ≤ N ≤ 255.`);
  }
  return { custodians, threshold };
}

/** The target, normalised (the CLI's defaults included), so a request and a CLI run compare equal. */
export function parseHostTarget(operation: HostOperation, input: unknown): HostTarget {
  const raw = (input ?? {}) as Record<string, unknown>;
  if (operation === "RekeyRootKey") return shamirSplit(raw, "Rekey");
  const to = raw.to as RootKeyStoreKind;
  if (!ROOT_KEY_STORE_KINDS.includes(to)) throw new ValidationException("The target store (to) must be local, shamir or pkcs11.");
  if (to !== "shamir") return { to };
  // The CLI's defaults for a shamir target (root-key-migration.ts).
  return { to, ...shamirSplit({ custodians: raw.custodians ?? 3, threshold: raw.threshold ?? 2 }, "A shamir target") };
}

function describeTarget(t: HostTarget): string {
  const split = t.custodians !== undefined ? ` (any ${t.threshold} of ${t.custodians} custodians)` : "";
  return "to" in t ? `migration to ${t.to}${split}` : `rekey to${split}`;
}

/** The CLI command an approved request runs. */
export function hostCommand(operation: HostOperation, t: HostTarget): string {
  const split = t.custodians !== undefined ? ` --custodians ${t.custodians} --threshold ${t.threshold}` : "";
  return operation === "MigrateRootKey" ? `keyhold root-key migrate --to ${(t as { to: string }).to}${split}` : `keyhold root-key rekey${split}`;
}

/** For the approvers (summary.ts): the custody now and after. */
export async function summarizeHostOperation(operation: HostOperation, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const now = await custodyStatusUnaudited();
  const before = { rootKeyStoreBefore: now.kind, custodiansBefore: now.custodians ?? null, thresholdBefore: now.threshold ?? null };
  const after =
    operation === "MigrateRootKey"
      ? { rootKeyStoreAfter: input.to ?? null, newRootKey: true }
      : { rootKeyStoreAfter: now.kind, newRootKey: false, oldSharesStopWorking: true };
  const split = input.to === undefined || input.to === "shamir" ? { custodiansAfter: input.custodians ?? null, thresholdAfter: input.threshold ?? null } : {};
  return { ...before, ...after, ...split, runsOn: "the host's keyhold CLI, with --approval <this request's ID>" };
}

/** What the request checks now (the CLI checks the store again when it runs). */
async function checkRequest(caller: Principal, operation: HostOperation, input: unknown): Promise<{ wouldRun: string }> {
  authorize(caller, `keyhold:${operation}`, ["ADMINISTRATOR"]);
  const target = parseHostTarget(operation, input);
  const kind = (await custodyStatusUnaudited()).kind;
  if (operation === "RekeyRootKey" && kind !== "shamir") throw new ValidationException("This Keyhold's root key is not Shamir-sealed: there are no unseal shares to rekey.");
  if (operation === "MigrateRootKey" && "to" in target && target.to === kind) throw new ValidationException(`The root key is already in the ${kind} store.`);
  return { wouldRun: hostCommand(operation, target) };
}

/**
 * The console's request (Settings → Root key custody): held for approval when
 * a rule protects the operation; without one there is nothing to request (the
 * host's operator runs the command), which is answered as such.
 */
export async function requestHostOperation(caller: Principal, operation: HostOperation, input: unknown, meta: InvocationMeta = { source: "console" }): Promise<never> {
  const raw = (input ?? {}) as Record<string, unknown>;
  const kept = { to: raw.to, custodians: raw.custodians, threshold: raw.threshold }; // only the target is kept
  const rule = await ruleFor(operation);
  if (!rule) {
    return audited({ eventName: operation, eventSource: ROOT_KEY_EVENT_SOURCE, caller, via: meta.source, request: kept }, async () => {
      const { wouldRun } = await checkRequest(caller, operation, kept);
      throw new ValidationException(messages.hostOperationNoRule(operation, wouldRun));
    });
  }
  try {
    return await hold(operation, ROOT_KEY_EVENT_SOURCE, caller, kept, meta, rule, () => checkRequest(caller, operation, kept));
  } catch (e) {
    if (e instanceof ApprovalRequiredException) {
      e.message = messages.hostOperationHeld(operation, e.approvalRequestId, rule.approvals, rule.approverRole, hostCommand(operation, parseHostTarget(operation, kept)));
    }
    throw e;
  }
}

async function approvedRequest(operation: HostOperation, target: HostTarget, id: string) {
  // Locked for the run when inside a transaction (the rekey): two runs at once use it once.
  await prisma.$queryRaw`SELECT id FROM "ApprovalRequest" WHERE id = ${id}::uuid FOR UPDATE`;
  const request = await prisma.approvalRequest.findUnique({ where: { id }, include: { decisions: true } });
  if (!request) throw new NotFoundException(messages.hostApprovalNotFound(id));
  if (request.operation !== operation) throw new AccessDeniedException(messages.hostApprovalOtherOperation(id, request.operation, operation));
  const approvers = request.decisions.filter((d) => d.decision === "approve").map((d) => d.username);
  if (request.status === "executed") throw new AccessDeniedException(messages.hostApprovalUsed(id));
  if (request.status !== "approved") throw new AccessDeniedException(messages.hostApprovalNotApproved(id, request.status, approvers.length, request.approvalsNeeded));
  if (request.expiresAt <= new Date()) throw new AccessDeniedException(messages.hostApprovalExpired(id, request.expiresAt.toISOString()));
  const approved = parseHostTarget(operation, request.input);
  if (JSON.stringify(approved) !== JSON.stringify(target)) throw new AccessDeniedException(messages.hostApprovalOtherTarget(id, describeTarget(approved), describeTarget(target)));
  return { requestId: id, approvers };
}

/**
 * The CLI's side: `check` refuses a run the rule does not allow (no approval,
 * or one that is not an approved, unexpired, unused request for this very
 * operation and target) and answers the facts its events record; `markUsed`
 * makes the request executed once the change is done (a failed or killed run
 * leaves it approved, so a resumable migration can be run again).
 */
export function hostRunApproval(operation: HostOperation, input: Record<string, unknown>): HostRunApproval {
  let facts: Required<ApprovalFacts> | undefined;
  return {
    async check() {
      const given = input.approvalRequestId;
      const rule = await ruleFor(operation);
      if (!rule && given === undefined) return undefined;
      if (given === undefined) throw new AccessDeniedException(messages.hostApprovalMissing(operation, rule!.approvals, rule!.approverRole));
      if (typeof given !== "string" || !UUID.test(given)) throw new ValidationException("--approval must be an approval request ID (a UUID).");
      facts = await approvedRequest(operation, parseHostTarget(operation, input), given);
      return facts;
    },
    async markUsed(response) {
      if (!facts) return;
      const outcome = { ok: true, response: JSON.parse(JSON.stringify(response ?? null)) } as Prisma.InputJsonValue;
      const { count } = await prisma.approvalRequest.updateMany({ where: { id: facts.requestId, status: "approved" }, data: { status: "executed", outcome } });
      if (count === 0) throw new AccessDeniedException(messages.hostApprovalUsed(facts.requestId));
    },
  };
}
