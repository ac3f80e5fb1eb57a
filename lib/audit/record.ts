// CloudTrail-shaped KMS records.
import { randomUUID } from "node:crypto";
import type { Principal } from "@/lib/auth/principal";
import { escapeUnsafeText } from "@/lib/errors/text";
import { sanitize } from "./sanitize";

export interface AuditRecord {
  eventVersion: "1.08";
  userIdentity: {
    type: "IAMUser" | "Root" | "Unknown" | "AWSService";
    principalId?: string;
    arn?: string;
    accountId?: string;
    accessKeyId?: string;
    userName?: string;
    invokedBy?: string;
    sessionContext?: { attributes: { mfaAuthenticated: "false"; creationDate?: string } };
  };
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  requestParameters: unknown;
  responseElements: unknown;
  /** consoleView: a read the console made to show a page (not a use of a key); the timeline hides these by default. */
  additionalEventData?: { keyMaterialId?: string; via?: string; approval?: ApprovalFacts; consoleView?: true };
  errorCode?: string;
  errorMessage?: string;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  resources?: Array<{ ARN: string; accountId: string; type: "AWS::KMS::Key" }>;
  eventType: "AwsApiCall" | "AwsServiceEvent" | "AwsConsoleSignIn";
  managementEvent: boolean;
  recipientAccountId: string;
  eventCategory: "Management";
}

/** Links an event to its approval request (lib/approvals); the executed change also names its approvers. */
export interface ApprovalFacts {
  requestId: string;
  approvers?: string[];
}

export interface AuditInput {
  eventSource?: string;
  eventName: string;
  eventType?: AuditRecord["eventType"];
  caller?: Principal;
  accessKeyId?: string;
  /** For calls whose caller could not be authenticated. */
  claimedIdentity?: string;
  via: "api" | "console" | "cli" | "service";
  region: string;
  accountId: string;
  requestId?: string;
  sourceIp?: string;
  userAgent?: string;
  request?: unknown;
  response?: unknown;
  error?: { name: string; message: string };
  readOnly: boolean;
  keyArns?: string[];
  keyMaterialId?: string;
  approval?: ApprovalFacts;
  time?: Date;
}

function identity(input: AuditInput): AuditRecord["userIdentity"] {
  const c = input.caller;
  if (input.eventType === "AwsServiceEvent") return { type: "AWSService", invokedBy: "kms.amazonaws.com" };
  if (!c) {
    return { type: "Unknown", ...(input.accessKeyId ? { accessKeyId: input.accessKeyId } : {}), ...(input.claimedIdentity ? { userName: escapeUnsafeText(input.claimedIdentity) } : {}) };
  }
  return {
    type: c.kind === "operator" ? "Root" : "IAMUser",
    principalId: c.userId ?? c.accountId,
    arn: c.arn,
    accountId: c.accountId,
    ...(input.accessKeyId ? { accessKeyId: input.accessKeyId } : {}),
    ...(c.kind === "user" ? { userName: c.username } : {}),
    sessionContext: { attributes: { mfaAuthenticated: "false" } },
  };
}

export function buildRecord(input: AuditInput): AuditRecord {
  const time = input.time ?? new Date();
  return {
    eventVersion: "1.08",
    userIdentity: identity(input),
    eventTime: time.toISOString(),
    eventSource: input.eventSource ?? "kms.amazonaws.com",
    eventName: input.eventName,
    awsRegion: input.region,
    sourceIPAddress: input.sourceIp ?? (input.via === "service" ? "kms.amazonaws.com" : input.via === "cli" ? "localhost" : "unknown"),
    userAgent: input.userAgent !== undefined ? escapeUnsafeText(input.userAgent) : input.via === "cli" ? "keyhold-cli" : input.via === "service" ? "kms.amazonaws.com" : "unknown",
    requestParameters: sanitize(input.request) ?? null,
    responseElements: sanitize(input.response) ?? null,
    additionalEventData: {
      ...(input.keyMaterialId ? { keyMaterialId: input.keyMaterialId } : {}),
      via: input.via,
      ...(input.approval ? { approval: input.approval } : {}),
      ...(isConsoleView(input) ? { consoleView: true as const } : {}),
    },
    ...(input.error ? { errorCode: input.error.name, errorMessage: escapeUnsafeText(input.error.message) } : {}),
    requestID: input.requestId ?? randomUUID(),
    eventID: randomUUID(),
    readOnly: input.readOnly,
    ...(input.keyArns?.length
      ? { resources: input.keyArns.map((ARN) => ({ ARN, accountId: input.accountId, type: "AWS::KMS::Key" as const })) }
      : {}),
    eventType: input.eventType ?? "AwsApiCall",
    managementEvent: true,
    recipientAccountId: input.accountId,
    eventCategory: "Management",
  };
}

/** Operations that change nothing (CloudTrail's readOnly). */
export function isReadOnlyOperation(name: string): boolean {
  return /^(Describe|List|Get)/.test(name) || ["Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "GenerateRandom", "Sign", "Verify", "GenerateMac", "VerifyMac", "DeriveSharedSecret"].includes(name);
}

/**
 * A read the console makes to show a page (DescribeKey, ListAliases, the audit
 * timeline itself): still one event, but flagged so an auditor can tell
 * "someone looked" from "something used the key". Cryptographic calls made
 * from the console (the playground) are uses, not views.
 */
export function isConsoleView(input: Pick<AuditInput, "via" | "readOnly" | "eventName">): boolean {
  return input.via === "console" && input.readOnly && !isCryptoOperation(input.eventName);
}

/** Cryptographic operations: AWS logs no responseElements for them. */
export function isCryptoOperation(name: string): boolean {
  return isReadOnlyOperation(name) && !/^(Describe|List|Get)/.test(name);
}
