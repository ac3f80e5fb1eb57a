// Sending outbox messages: claimed with FOR UPDATE SKIP LOCKED and a lease
// (so two instances never send one message at once), POSTed with a short
// timeout and no redirects, signed per attempt, and retried with exponential
// backoff until delivered or given up. Every attempt is logged (AlertAttempt).
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { directPrisma } from "@/lib/db/client";
import { unwrapRuleSecret } from "./secret";
import { SIGNATURE_HEADER, signatureHeader } from "./signature";
import { assertDeliverable, checkedLookup, parseWebhookUrl } from "./webhook-url";

export interface DeliveryOptions {
  /** Wait before attempt n+1 after n failed attempts. Default 30 s doubling, at most 1 h. */
  backoffMs?: (failedAttempts: number) => number;
  /** Per POST. Default 5 s. */
  timeoutMs?: number;
  /** Give up after this many attempts (default 12) or 24 h after the message was queued. */
  maxAttempts?: number;
}

const CLAIM = 20;
const MAX_AGE_MS = 24 * 3600_000;

export const defaultBackoffMs = (failedAttempts: number) => Math.min(30_000 * 2 ** (failedAttempts - 1), 3600_000);

/** Timestamps as the columns store them (timestamp(3) in UTC). */
const sqlTime = (d: Date) => d.toISOString();

async function claimDue(now: Date, leaseMs: number): Promise<bigint[]> {
  const rows = await directPrisma().$queryRaw<Array<{ id: bigint }>>`
    UPDATE "AlertDelivery" SET "leaseUntil" = CAST(${sqlTime(new Date(now.getTime() + leaseMs))} AS timestamptz) AT TIME ZONE 'UTC'
    WHERE "id" IN (
      SELECT "id" FROM "AlertDelivery"
      WHERE "status" = 'pending'
        AND "nextAttemptAt" <= CAST(${sqlTime(now)} AS timestamptz) AT TIME ZONE 'UTC'
        AND ("leaseUntil" IS NULL OR "leaseUntil" < CAST(${sqlTime(now)} AS timestamptz) AT TIME ZONE 'UTC')
      ORDER BY "id" LIMIT ${CLAIM}
      FOR UPDATE SKIP LOCKED)
    RETURNING "id"`;
  return rows.map((r) => r.id);
}

/** One POST; resolves with the HTTP status or throws with a short reason (never the URL or a header). */
async function post(url: string, body: string, secret: string, deliveryId: bigint, timeoutMs: number): Promise<number> {
  const target = parseWebhookUrl(url);
  await assertDeliverable(target);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = send(
      target,
      {
        method: "POST",
        // node:http follows no redirect (one could lead to an address refused above), and its
        // connection resolves the name through checkedLookup: what is checked is what is connected to.
        lookup: checkedLookup,
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "user-agent": "Keyhold-Alerts/1",
          "x-keyhold-delivery": deliveryId.toString(),
          [SIGNATURE_HEADER]: signatureHeader(secret, body),
        },
      },
      (res) => {
        res.resume(); // the answer's body is not read, only drained
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function reason(e: unknown): string {
  if (!(e instanceof Error)) return "failed";
  if (e.name === "TimeoutError" || e.name === "AbortError") return "timed out";
  const cause = (e as { cause?: { code?: string } }).cause;
  return (cause?.code ?? e.message.split("\n")[0] ?? e.name).slice(0, 200);
}

async function attempt(id: bigint, now: () => Date, options: DeliveryOptions): Promise<"delivered" | "retrying" | "failed"> {
  const db = directPrisma();
  const delivery = await db.alertDelivery.findUnique({ where: { id }, include: { rule: true } });
  if (!delivery || delivery.status !== "pending") return "failed";
  let httpStatus: number | null = null;
  let error: string | null = null;
  try {
    const secret = await unwrapRuleSecret(delivery.rule.id, delivery.rule.secretWrapped);
    httpStatus = await post(delivery.rule.url, delivery.body, secret, id, options.timeoutMs ?? 5000);
    if (httpStatus < 200 || httpStatus > 299) error = `HTTP ${httpStatus}`;
  } catch (e) {
    error = reason(e);
  }
  const at = now();
  const attempts = delivery.attempts + 1;
  const next = new Date(at.getTime() + (options.backoffMs ?? defaultBackoffMs)(attempts));
  const giveUp = attempts >= (options.maxAttempts ?? 12) || next.getTime() - delivery.createdAt.getTime() > MAX_AGE_MS;
  const status = error === null ? "delivered" : giveUp ? "failed" : "pending";
  await db.$transaction([
    db.alertAttempt.create({ data: { deliveryId: id, at, httpStatus, error } }),
    db.alertDelivery.update({
      where: { id },
      data: { attempts, status, lastError: error, leaseUntil: null, nextAttemptAt: next, deliveredAt: error === null ? at : null },
    }),
  ]);
  return status === "pending" ? "retrying" : status;
}

/** Sends every due message (at most CLAIM per turn), concurrently. */
export async function deliverDue(now: () => Date, options: DeliveryOptions): Promise<{ delivered: number; retrying: number; failed: number }> {
  // The lease outlasts the longest POST, so no other instance claims it meanwhile.
  const ids = await claimDue(now(), (options.timeoutMs ?? 5000) * 2 + 30_000);
  const outcomes = await Promise.all(ids.map((id) => attempt(id, now, options)));
  return {
    delivered: outcomes.filter((o) => o === "delivered").length,
    retrying: outcomes.filter((o) => o === "retrying").length,
    failed: outcomes.filter((o) => o === "failed").length,
  };
}
