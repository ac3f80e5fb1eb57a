// The thin backend-for-frontend: resolve the session to a Principal, call the
// service layer, and turn its typed errors into answers the console can show.
import "server-only";
import { NextResponse } from "next/server";
import type { Principal } from "@/lib/auth/principal";
import { requirePrincipal } from "@/lib/console/auth/current";
import { asKmsError, isKmsError, KMSInternalException } from "@/lib/errors";
import { explainSilentError } from "@/lib/errors/messages";
import { logger } from "@/lib/log";
import { outcomeOf, recordConsoleCall } from "@/lib/metrics";
import { ApprovalRequiredException } from "@/lib/approvals/gate";
import { denialFacts } from "@/lib/kms/denial";
import type { ActionResult } from "./result";

function toError(e: unknown, kind: "action" | "route"): { name: string; message: string; status: number } {
  if (!isKmsError(e)) logger.error({ err: e }, "console call failed");
  const error = asKmsError(e, () => new KMSInternalException("Something went wrong on the server. Try again."));
  recordConsoleCall(kind, outcomeOf(error));
  // Exceptions AWS sends without a message still get a sentence in the console.
  return { name: error.name, message: error.message || explainSilentError(error.name), status: error.status };
}

/** For server actions. */
export async function runAction<T>(fn: (caller: Principal) => Promise<T>): Promise<ActionResult<T>> {
  try {
    const data = await fn(await requirePrincipal());
    recordConsoleCall("action", "ok");
    return { ok: true, data };
  } catch (e) {
    const { name, message } = toError(e, "action");
    const approvalRequestId = e instanceof ApprovalRequiredException ? e.approvalRequestId : undefined;
    const deniedBy = denialFacts(e);
    return { ok: false, error: { name, message, ...(approvalRequestId ? { approvalRequestId } : {}), ...(deniedBy ? { deniedBy } : {}) } };
  }
}

/** For route handlers: JSON body or `{__type, message}` with the error's status (401, 403, 400, 404, 500). */
export async function runRoute<T>(fn: (caller: Principal) => Promise<T>): Promise<NextResponse> {
  try {
    const body = await fn(await requirePrincipal());
    recordConsoleCall("route", "ok");
    return NextResponse.json(body, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    const { name, message, status } = toError(e, "route");
    return NextResponse.json({ __type: name, message }, { status });
  }
}
