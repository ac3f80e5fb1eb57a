// Audit: every call becomes one CloudTrail-shaped event, committed before the
// caller gets its answer (fail closed).
import type { Principal } from "@/lib/auth/principal";
import { KMSInternalException, isKmsError } from "@/lib/errors";
import { accountId, region } from "@/lib/settings/account";
import { withCallFacts } from "./context";
import { buildRecord, isCryptoOperation, isReadOnlyOperation, type AuditInput } from "./record";
import { auditWriter } from "./writer";

export { noteKey } from "./context";

/** Writes one event; throws KMSInternalException if it cannot be committed. */
export async function writeAuditEvent(input: Omit<AuditInput, "region" | "accountId"> & Partial<Pick<AuditInput, "region" | "accountId">>): Promise<void> {
  const record = buildRecord({ ...input, region: input.region ?? region(), accountId: input.accountId ?? (await accountId()) });
  try {
    await auditWriter().append(record);
  } catch {
    throw new KMSInternalException("The request could not be recorded in the audit trail, so it was not performed.");
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
}

/**
 * Runs `fn` and records it — success or failure — before returning. If the
 * event cannot be written, the caller gets KMSInternalException and no result.
 */
export async function audited<T>(call: AuditedCall, fn: () => Promise<T>): Promise<T> {
  const { facts, result } = withCallFacts(fn);
  let value: T | undefined;
  let error: unknown;
  try {
    value = await result;
  } catch (e) {
    error = e;
  }
  const readOnly = call.readOnly ?? isReadOnlyOperation(call.eventName);
  const recordResponse = call.recordResponse ?? !isCryptoOperation(call.eventName);
  await writeAuditEvent({
    eventName: call.eventName,
    eventSource: call.eventSource,
    caller: call.caller,
    accessKeyId: call.accessKeyId,
    via: call.via,
    requestId: call.requestId,
    sourceIp: call.caller.sourceIp,
    userAgent: call.caller.userAgent,
    request: call.request,
    response: error === undefined && recordResponse && !readOnly ? value : undefined,
    error: error === undefined ? undefined : isKmsError(error) ? { name: error.name, message: error.message } : { name: "KMSInternalException", message: "Internal error" },
    readOnly,
    keyArns: facts.keyArns,
    keyMaterialId: facts.keyMaterialId,
  });
  if (error !== undefined) throw error;
  return value as T;
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

/** Events the service causes itself (deletion by the sweeper, automatic rotation). */
export async function auditServiceEvent(eventName: string, keyId: string, details: Record<string, unknown> = {}): Promise<void> {
  const account = await accountId();
  const r = region();
  await writeAuditEvent({
    eventName,
    eventType: "AwsServiceEvent",
    via: "service",
    readOnly: false,
    region: r,
    accountId: account,
    request: { keyId, ...details },
    keyArns: [`arn:aws:kms:${r}:${account}:key/${keyId}`],
  });
}
