// Chain status without re-reading the whole trail on every visit: the
// console's check resumes each chain from the last signed digest an earlier
// run verified (kept in the Setting table: chain, sequence, hash, when), so
// it reads only the events since. A full re-verification (every event from
// #1, as `keyhold audit verify` does) runs on demand, reporting its progress.
//
// The anchor is no trust shortcut: a run resumes only where a signed digest
// still names that exact sequence and hash. Rows changed *before* an anchor
// are found by the full re-verification, not by the incremental one.
import { randomUUID } from "node:crypto";
import type { Principal } from "@/lib/auth/principal";
import { prisma } from "@/lib/db/client";
import { NotFoundException, ValidationException } from "@/lib/errors";
import { authorizeAuditRead } from "./access";
import { AUDIT_READ_EVENTS, auditedTrailRead } from "./audited-read";
import { verifyAuditTrail, type VerifiedAnchor, type VerifyReport } from "./verify";

const SETTING = "audit.verifiedAnchors";

export interface CachedVerifyReport extends VerifyReport {
  mode: "incremental" | "full";
  verifiedAt: string;
  /** Events read by this run (the rest were vouched for by anchors). */
  eventsRead: number;
}

type Anchors = Record<string, VerifiedAnchor & { verifiedAt: string }>;

async function loadAnchors(): Promise<Map<string, VerifiedAnchor>> {
  const row = await prisma.setting.findUnique({ where: { key: SETTING } });
  const out = new Map<string, VerifiedAnchor>();
  if (!row) return out;
  try {
    for (const [chainId, a] of Object.entries(JSON.parse(row.value) as Anchors)) {
      if (Number.isInteger(a.seq) && typeof a.hash === "string") out.set(chainId, { seq: a.seq, hash: a.hash });
    }
  } catch {
    // An unreadable cache only costs a full walk.
  }
  return out;
}

/** Keeps the anchors of intact chains; a chain with a problem loses its anchor, so the next run walks it all. */
async function saveAnchors(report: VerifyReport, at: Date): Promise<void> {
  const anchors: Anchors = {};
  for (const c of report.chains) if (!c.problem && c.anchor) anchors[c.chainId] = { ...c.anchor, verifiedAt: at.toISOString() };
  const value = JSON.stringify(anchors);
  await prisma.setting.upsert({ where: { key: SETTING }, create: { key: SETTING, value }, update: { value } });
}

/** Runs the verifier and caches the anchors it found; unaudited (the audited entry points are below). */
export async function verifyAndCache(mode: "incremental" | "full", onProgress?: (read: number) => void): Promise<CachedVerifyReport> {
  const resumeFrom = mode === "incremental" ? await loadAnchors() : undefined;
  let eventsRead = 0;
  const report = await verifyAuditTrail({
    resumeFrom,
    onProgress: (n) => {
      eventsRead = n;
      onProgress?.(n);
    },
  });
  const at = new Date();
  await saveAnchors(report, at);
  return { ...report, mode, verifiedAt: at.toISOString(), eventsRead };
}

const verdict = (r: CachedVerifyReport) => ({
  ok: r.ok,
  mode: r.mode,
  events: r.events,
  eventsRead: r.eventsRead,
  ...(r.firstProblem ? { firstProblem: r.firstProblem } : {}),
});

/** The console's chain status: resumes from cached anchors. Recorded as VerifyAuditChain ({mode: "incremental"}). */
export function verifyIncrementallyAs(caller: Principal): Promise<CachedVerifyReport> {
  return auditedTrailRead(
    AUDIT_READ_EVENTS.verify,
    caller,
    { mode: "incremental" },
    async () => {
      authorizeAuditRead(caller, "keyhold:VerifyAuditTrail");
      return verifyAndCache("incremental");
    },
    verdict,
  );
}

// ---- Full re-verification with progress ---------------------------------

interface Run {
  owner: string;
  total: number;
  read: number;
  done: boolean;
  startedAt: number;
}
const g = globalThis as unknown as { keyholdVerifyRuns?: Map<string, Run> };
const runs = (g.keyholdVerifyRuns ??= new Map());
const RUN_TTL_MS = 10 * 60_000;

const RUN_ID = /^[0-9a-f-]{36}$/i;

/**
 * Re-verifies every event of every chain, as `keyhold audit verify` does.
 * Recorded as VerifyAuditChain ({mode: "full"}) with its verdict. `runId`
 * (chosen by the page) lets the page poll auditVerificationProgress while it runs.
 */
export function verifyFullyAs(caller: Principal, runId: string = randomUUID()): Promise<CachedVerifyReport> {
  return auditedTrailRead(
    AUDIT_READ_EVENTS.verify,
    caller,
    { mode: "full", runId },
    async () => {
      authorizeAuditRead(caller, "keyhold:VerifyAuditTrail");
      if (!RUN_ID.test(runId)) throw new ValidationException("runId must be a UUID");
      for (const [id, r] of runs) if (Date.now() - r.startedAt > RUN_TTL_MS) runs.delete(id);
      const [{ total }] = await prisma.$queryRaw<[{ total: number }]>`SELECT count(*)::int AS total FROM "AuditEvent"`;
      const run: Run = { owner: caller.arn, total: Number(total), read: 0, done: false, startedAt: Date.now() };
      runs.set(runId, run);
      try {
        return await verifyAndCache("full", (n) => (run.read = n));
      } finally {
        run.done = true;
      }
    },
    verdict,
  );
}

export interface VerificationProgress {
  read: number;
  total: number;
  done: boolean;
}

/** How far a full re-verification has got (only its own caller may ask). Recorded as GetAuditVerificationProgress. */
export function auditVerificationProgress(caller: Principal, runId: string): Promise<VerificationProgress> {
  return auditedTrailRead(AUDIT_READ_EVENTS.verifyProgress, caller, { runId }, async () => {
    authorizeAuditRead(caller, "keyhold:VerifyAuditTrail");
    const run = RUN_ID.test(runId) ? runs.get(runId) : undefined;
    if (!run || run.owner !== caller.arn) throw new NotFoundException(`No verification ${String(runId).slice(0, 40)} is running.`);
    return { read: run.read, total: run.total, done: run.done };
  });
}
