// Retention: events older than the retention period are purged, chain by
// chain, only up to a signed digest — the verifier then resumes each chain
// from that digest's hash, so what remains still proves itself. Every purge
// is first recorded as a PurgeAuditEvents event (fail closed: no record, no
// purge), and the purge mark is signed with the audit-signing key, so rows
// deleted by anyone else still show as missing.
import { z } from "zod";
import { authorize } from "@/lib/access/authorize";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { ValidationException } from "@/lib/errors";
import { logger } from "@/lib/log";
import { audited, writeAuditEvent } from "./index";
import { AUDIT_TRAIL_EVENT_SOURCE } from "./audited-read";
import { auditSigner } from "./signing-key";

export const PURGE_EVENT = "PurgeAuditEvents";
const DAY_MS = 24 * 3600 * 1000;

export interface PurgedChain {
  chainId: string;
  throughSeq: number;
  events: number;
}

/** The newest digest of each chain signed before `before`, beyond what was already purged. */
async function purgeBoundaries(before: Date): Promise<Array<{ chainId: string; from: number; throughSeq: number }>> {
  const chains = await prisma.auditChain.findMany({ select: { id: true, prunedThroughSeq: true } });
  const out: Array<{ chainId: string; from: number; throughSeq: number }> = [];
  for (const c of chains) {
    const digest = await prisma.auditDigest.findFirst({
      where: { chainId: c.id, createdAt: { lt: before }, lastSeq: { gt: c.prunedThroughSeq } },
      orderBy: { lastSeq: "desc" },
      select: { lastSeq: true },
    });
    if (digest) out.push({ chainId: c.id, from: c.prunedThroughSeq, throughSeq: digest.lastSeq });
  }
  return out;
}

async function purge(before: Date, record: (boundary: { chainId: string; throughSeq: number }) => Promise<void>): Promise<PurgedChain[]> {
  const purged: PurgedChain[] = [];
  for (const b of await purgeBoundaries(before)) {
    await record(b); // committed before anything is deleted
    const signer = await auditSigner();
    const prunedSignature = await signer.sign(purgePayload(b.chainId, b.throughSeq));
    const events = await prisma.$transaction(async (tx) => {
      const moved = await tx.auditChain.updateMany({
        where: { id: b.chainId, prunedThroughSeq: b.from },
        data: { prunedThroughSeq: b.throughSeq, prunedSignature, prunedKeyId: signer.id },
      });
      if (moved.count !== 1) return 0; // another instance purged this chain meanwhile
      const deleted = await tx.auditEvent.deleteMany({ where: { chainId: b.chainId, chainSeq: { lte: b.throughSeq } } });
      return deleted.count;
    });
    purged.push({ chainId: b.chainId, throughSeq: b.throughSeq, events });
  }
  return purged;
}

const purgeSchema = z.object({ before: z.coerce.date({ error: "before must be a date (ISO 8601)" }) });

/**
 * An administrator's purge of events signed before `before` (never within
 * the last 30 days). Recorded as one PurgeAuditEvents call, plus one
 * PurgeAuditEvents record per chain purged, naming the chain and sequence.
 */
export function purgeAuditEvents(caller: Principal, input: unknown): Promise<{ purged: PurgedChain[] }> {
  return audited(
    { eventName: PURGE_EVENT, eventSource: AUDIT_TRAIL_EVENT_SOURCE, caller, via: caller.kind === "operator" ? "cli" : "console", request: input, readOnly: false },
    async () => {
      authorize(caller, "keyhold:PurgeAuditEvents", ["ADMINISTRATOR"]);
      const parsed = purgeSchema.safeParse(input);
      if (!parsed.success) throw new ValidationException(parsed.error.issues[0]?.message ?? "Invalid input");
      const { before } = parsed.data;
      if (Number.isNaN(before.getTime()) || before.getTime() > Date.now() - 30 * DAY_MS) {
        throw new ValidationException("Audit events of the last 30 days cannot be purged.");
      }
      return { purged: await purge(before, (b) => recordPurge(b, caller)) };
    },
  );
}

function recordPurge(b: { chainId: string; throughSeq: number }, caller?: Principal): Promise<void> {
  return writeAuditEvent({
    eventName: PURGE_EVENT,
    eventSource: AUDIT_TRAIL_EVENT_SOURCE,
    ...(caller ? { caller, via: caller.kind === "operator" ? "cli" : "console" } : { eventType: "AwsServiceEvent", via: "service" }),
    request: { chainId: b.chainId, throughSeq: b.throughSeq },
    readOnly: false,
  });
}

/** The scheduled purge under KEYHOLD_AUDIT_RETENTION_DAYS (a service event per chain). */
export async function purgeExpiredAuditEvents(retentionDays: number, now = new Date()): Promise<number> {
  const purged = await purge(new Date(now.getTime() - retentionDays * DAY_MS), (b) => recordPurge(b));
  const events = purged.reduce((n, p) => n + p.events, 0);
  if (events) logger.info({ event: "audit-purged", chains: purged.length, events }, "audit events past retention purged");
  return events;
}

/** The bytes a purge mark's signature covers. */
export function purgePayload(chainId: string, throughSeq: number): Buffer {
  return Buffer.from(JSON.stringify({ purge: "keyhold-audit", chainId, throughSeq }));
}
