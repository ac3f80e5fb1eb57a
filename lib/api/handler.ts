// The data-plane door: POST / with X-Amz-Target: TrentService.<Operation>
// (or KeyholdApprovals.<Operation>, approvals.ts), SigV4-authenticated, JSON
// 1.1 in and out. Nothing is parsed or looked up beyond the credential before
// the signature is verified.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { config } from "@/lib/config";
import { asKmsError, isKmsError, KMSInternalException } from "@/lib/errors";
import { NO_MESSAGE } from "@/lib/errors/messages";
import { logger } from "@/lib/log";
import { outcomeOf, recordApiCall } from "@/lib/metrics";
import { authFailuresThrottled, noteAuthFailure, noteVerifiedKey, operationOf } from "./auth-failures";
import { credentialFor, recordUse } from "./credentials";
import { RequestEntityTooLargeException, ThrottlingException, UnknownOperationException } from "./errors";
import { kmsModel, TARGET_PREFIX } from "./model";
import { isKnownOperation } from "./operations";
import { invokeKmsWithApproval } from "@/lib/approvals/gate";
import { APPROVALS_TARGET_PREFIX, invokeApprovalsApi, isApprovalsOperation } from "./approvals";
import { writeAuditEvent } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import { checkRequestScope, headerValue, parseAuthorization, verifySignature, type ParsedAuthorization } from "./sigv4";
import { deserialize, SerializationException, serialize } from "./wire";

export const MAX_BODY_BYTES = 1024 * 1024;
const CONTENT_TYPE = "application/x-amz-json-1.1";

export function isApiRequest(req: IncomingMessage): boolean {
  return req.headers["x-amz-target"] !== undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(new RequestEntityTooLargeException(`Request body exceeds ${MAX_BODY_BYTES} bytes.`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new RequestEntityTooLargeException(`Request body exceeds ${MAX_BODY_BYTES} bytes.`));
        req.pause();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

// The Date header changes once a second; format it once a second.
let dateHeader = { second: -1, value: "" };
function httpDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== dateHeader.second) dateHeader = { second, value: new Date(second * 1000).toUTCString() };
  return dateHeader.value;
}

function send(res: ServerResponse, status: number, requestId: string, body: unknown, errorType?: string) {
  // A string, not a Buffer: node:http then sends the header block and the body
  // in one write (a Buffer body goes as a second chunk of a writev).
  const payload = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    "content-type": CONTENT_TYPE,
    "content-length": Buffer.byteLength(payload),
    "x-amzn-requestid": requestId,
    date: httpDate(),
  };
  if (errorType) headers["x-amzn-errortype"] = errorType;
  if (status === 413) headers.connection = "close"; // the rest of the body is not read
  res.writeHead(status, headers);
  res.end(payload);
}

/** The parsed Authorization header, or why it does not parse (thrown only after the throttle check). */
function parsedAuthorization(authorization: string | undefined): ParsedAuthorization | { error: unknown } {
  try {
    return parseAuthorization(authorization);
  } catch (error) {
    return { error };
  }
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new SerializationException(NO_MESSAGE); // AWS's JSON 1.1 deserializer says nothing either
  }
}

export async function handleApiRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const requestId = randomUUID();
  const target = headerValue(req.headers, "x-amz-target") ?? "";
  let operation = "";
  let accessKeyId: string | undefined;
  let authenticated: Principal | undefined;
  let claimedKeyId: string | undefined;
  let auditedByService = false;
  try {
    if (req.method !== "POST") throw new UnknownOperationException(`${req.method} is not supported; use POST /.`);
    const body = await readBody(req);
    const authorization = headerValue(req.headers, "authorization");
    const auth = parsedAuthorization(authorization);
    claimedKeyId = "error" in auth ? undefined : auth.accessKeyId;
    if (authFailuresThrottled(req.socket.remoteAddress, claimedKeyId)) {
      // A source that keeps failing is refused before any lookup or HMAC (counted under the key it claims).
      throw new ThrottlingException("Rate exceeded");
    }
    if ("error" in auth) throw auth.error;
    const cfg = config();
    const date = checkRequestScope(auth, req.headers, { region: cfg.region });
    const credential = await credentialFor(auth.accessKeyId);
    await verifySignature(auth, { method: "POST", path: req.url ?? "/", headers: req.headers, body, date }, credential.secretAccessKey);
    accessKeyId = auth.accessKeyId;
    claimedKeyId = undefined;
    recordUse(auth.accessKeyId);
    noteVerifiedKey(auth.accessKeyId);

    const [prefix, name] = target.split(".", 2);
    const approvals = prefix === APPROVALS_TARGET_PREFIX && !!name && isApprovalsOperation(name);
    if (!approvals && (prefix !== TARGET_PREFIX || !name || !isKnownOperation(name))) {
      throw new UnknownOperationException(`Unknown operation ${target}.`);
    }
    operation = approvals ? target : name!;
    const caller = {
      ...credential.principal,
      sourceIp: req.socket.remoteAddress,
      userAgent: headerValue(req.headers, "user-agent"),
      secureTransport: (req.socket as { encrypted?: boolean }).encrypted === true,
    };
    const meta = { source: "api" as const, requestId, accessKeyId: auth.accessKeyId };
    authenticated = caller;
    if (approvals) {
      const approvalInput = parseJson(body);
      auditedByService = true; // lib/approvals records every call, allowed or refused
      send(res, 200, requestId, serialize(await invokeApprovalsApi(name!, caller, approvalInput, meta)));
      recordApiCall(operation, "ok", (performance.now() - started) / 1000);
      return;
    }
    const inputShape = kmsModel.operations[operation]?.input;
    const input = inputShape ? deserialize(inputShape, parseJson(body)) : {};
    auditedByService = true; // from here on invokeKms records the call, whatever happens
    const result = await invokeKmsWithApproval(operation, caller, input, meta); // protected operations may be held for approval
    send(res, 200, requestId, serialize(result));
    recordApiCall(operation, "ok", (performance.now() - started) / 1000);
  } catch (e) {
    let error = asKmsError(e, () => new KMSInternalException("An internal error occurred. Try again later."));
    if (accessKeyId === undefined) {
      // Not authenticated: counted into a bounded summary (auth-failures.ts),
      // never one event per request that anyone could send.
      noteAuthFailure({
        sourceIp: req.socket.remoteAddress,
        accessKeyId: claimedKeyId,
        target,
        userAgent: headerValue(req.headers, "user-agent"),
        errorCode: error.name,
      });
    } else if (!auditedByService) {
      // Authenticated but refused before reaching the key service (unknown operation, bad input): one event.
      await writeAuditEvent({
        eventName: operation || operationOf(target),
        caller: authenticated,
        accessKeyId,
        via: "api",
        requestId,
        sourceIp: req.socket.remoteAddress,
        userAgent: headerValue(req.headers, "user-agent"),
        error: { name: error.name, message: error.message },
        readOnly: false,
      }).catch((auditError: unknown) => {
        // The database being away explains both failures: keep the retryable answer.
        if (isKmsError(auditError) && error.name !== "DependencyTimeoutException") error = auditError;
      });
    }
    if (!isKmsError(e)) logger.error({ err: e, reqId: requestId, operation, error: error.name }, "API request failed");
    // Throttled requests are not logged one by one either (the summary counts them).
    logger[error.name === "ThrottlingException" ? "debug" : "info"]({ reqId: requestId, operation: operation || operationOf(target), accessKeyId, error: error.name }, "api error");
    // Some exceptions carry no message at AWS (InvalidCiphertextException, …): none here either.
    const body = error.message ? { __type: error.name, message: error.message } : { __type: error.name };
    send(res, error.status >= 500 ? 500 : error.status === 413 ? 413 : 400, requestId, body, error.name);
    // Labelled with a known operation name only (operationOf), whatever the caller sent.
    recordApiCall(operation || operationOf(target), outcomeOf(error), (performance.now() - started) / 1000);
  }
}
