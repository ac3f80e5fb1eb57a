// Audit: every call becomes one CloudTrail-shaped event, committed before the
// caller gets its answer (fail closed).
import type { Principal } from "@/lib/auth/principal";
import { contextSlot } from "@/lib/context/call-context";
import { isKmsError } from "@/lib/errors";
import { accountId, region } from "@/lib/settings/account";
import { commitChange, currentChangeScope, notRecorded, type Outcome } from "./change";
import { withCallFacts, type CallFacts } from "./context";
import { buildRecord, isCryptoOperation, isReadOnlyOperation, type AuditInput, type AuditRecord } from "./record";
import { auditWriter } from "./writer";

export { noteKey } from "./context";

// The approval an execution belongs to (lib/approvals/execute.ts): every event
// written while it runs names the request and its approvers.
const approvalScope = contextSlot<NonNullable<AuditInput["approval"]>>("approval");

export function withApprovalFacts<T>(approval: NonNullable<AuditInput["approval"]>, fn: () => Promise<T>): Promise<T> {
  return approvalScope.run(approval, fn);
}

type EventInput = Omit<AuditInput, "region" | "accountId"> & Partial<Pick<AuditInput, "region" | "accountId">>;

async function recordOf(input: EventInput): Promise<AuditRecord> {
  return buildRecord({ ...input, region: input.region ?? region(), accountId: input.accountId ?? (await accountId()) });
}

/**
 * Writes one event; throws KMSInternalException if it cannot be committed.
 * Inside a change (lib/audit/change.ts) the event commits with the change.
 */
export async function writeAuditEvent(input: EventInput): Promise<void> {
  const record = await recordOf(input);
  const change = currentChangeScope();
  if (change) {
    change.events.push(record);
    return;
  }
  try {
    await auditWriter().append(record);
  } catch (e) {
    throw notRecorded(e);
  }
}

export interface AuditedCall {
  eventName: string;
  eventSource?: string;
  caller: Principal;
  via: AuditInput["via"];
  request?: unknown;
  requestId?: string;
  accessKeyId?: string;
  readOnly?: boolean;
  /** Whether to record the response (never for cryptographic operations). */
  recordResponse?: boolean;
  /** What to record as responseElements instead of the value (also for reads: e.g. a verification's verdict). */
  recordedResponse?: (value: unknown) => unknown;
  /** The approval request this call belongs to (lib/approvals). */
  approval?: AuditInput["approval"];
}

/**
 * Runs `fn` and records it — success or failure — before returning. If the
 * event cannot be written, the caller gets KMSInternalException and no result.
 * A call that changes state commits its change and its event in one
 * transaction (lib/audit/change.ts); reads and cryptographic calls are
 * group-committed before they answer.
 */
export async function audited<T>(call: AuditedCall, fn: () => Promise<T>): Promise<T> {
  const readOnly = call.readOnly ?? isReadOnlyOperation(call.eventName);
  if (!readOnly) {
    let facts: CallFacts = { keyArns: [] };
    return commitChange(
      () => {
        const run = withCallFacts(fn);
        facts = run.facts;
        return run.result;
      },
      (outcome) => recordOf(eventOf(call, readOnly, facts, outcome)),
    );
  }
  const { facts, result } = withCallFacts(fn);
  let outcome: Outcome<T>;
  try {
    outcome = { value: await result };
  } catch (error) {
    outcome = { error };
  }
  await writeAuditEvent(eventOf(call, readOnly, facts, outcome));
  if (outcome.error !== undefined) throw outcome.error;
  return outcome.value as T;
}

function eventOf<T>(call: AuditedCall, readOnly: boolean, facts: CallFacts, { value, error }: Outcome<T>): EventInput {
  const recordResponse = call.recordResponse ?? !isCryptoOperation(call.eventName);
  return {
    eventName: call.eventName,
    eventSource: call.eventSource,
    caller: call.caller,
    accessKeyId: call.accessKeyId,
    via: call.via,
    requestId: call.requestId,
    sourceIp: call.caller.sourceIp,
    userAgent: call.caller.userAgent,
    request: call.request,
    response: error !== undefined ? undefined : call.recordedResponse ? call.recordedResponse(value) : recordResponse && !readOnly ? value : undefined,
    error: error === undefined ? undefined : isKmsError(error) ? { name: error.name, message: error.message } : { name: "KMSInternalException", message: "Internal error" },
    readOnly,
    keyArns: facts.keyArns,
    keyMaterialId: facts.keyMaterialId,
    approval: call.approval ?? approvalScope.getStore(),
  };
}

export async function closeAudit(): Promise<void> {
  await auditWriter().close();
}

/** Wraps a service operation `(caller, input)` so every call is audited under `eventName`. */
export function auditedOperation<I, R>(
  eventName: string,
  eventSource: string,
  fn: (caller: Principal, input: I) => Promise<R>,
  options: { readOnly?: boolean } = {},
): (caller: Principal, input?: I) => Promise<R> {
  return (caller, input) =>
    audited(
      { eventName, eventSource, caller, via: caller.kind === "operator" ? "cli" : "console", request: input, readOnly: options.readOnly },
      () => fn(caller, input as I),
    );
}

/**
 * A change the service makes itself (deletion by the sweeper, automatic
 * rotation, expiry of imported material): `change` runs in one transaction
 * with its AwsServiceEvent. It returns whether it changed anything; when it
 * did not (cancelled or done elsewhere meanwhile), nothing is recorded.
 */
export async function auditedServiceChange(eventName: string, keyId: string, details: Record<string, unknown>, change: () => Promise<boolean>): Promise<boolean> {
  const account = await accountId();
  const r = region();
  try {
    return await commitChange(
      async () => {
        if (!(await change())) throw NOTHING_CHANGED;
        return true;
      },
      async (outcome) =>
        // A failed or vacuous attempt changed nothing (rolled back): the next run retries.
        outcome.error !== undefined
          ? null
          : buildRecord({
          eventName,
          eventType: "AwsServiceEvent",
          via: "service",
          readOnly: false,
          region: r,
          accountId: account,
          request: { keyId, ...details },
          keyArns: [`arn:aws:kms:${r}:${account}:key/${keyId}`],
        }),
    );
  } catch (e) {
    if (e === NOTHING_CHANGED) return false;
    throw e;
  }
}

const NOTHING_CHANGED = new Error("nothing changed");
