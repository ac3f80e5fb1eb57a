// The verifier: walks every chain in order and reports the first event that
// was changed, removed, reordered or inserted, and any digest whose
// signature or coverage fails. Streams in pages, so it works on large tables.
import { createPublicKey, verify as verifySignature, type KeyObject } from "node:crypto";
import type { Principal } from "@/lib/auth/principal";
import { decodeRecord } from "@/lib/db/audit-record-codec.mjs";
import { prisma } from "@/lib/db/client";
import { recordAuditVerification } from "@/lib/metrics";
import { authorizeAuditRead } from "./access";
import { AUDIT_READ_EVENTS, auditedTrailRead } from "./audited-read";
import { digestPayload, eventHash, genesisHash } from "./chain";
import { purgePayload } from "./retention";
import { auditSigner } from "./signing-key";
import { headPayload, witnessedHeads, type WitnessedHead } from "./witness";

export interface ChainReport {
  chainId: string;
  /** Events vouched for: read in this run, plus those before the anchor it resumed from. */
  events: number;
  intactUpTo: number;
  digests: number;
  problem?: Problem;
  /** An incremental run started after this event (a signed digest verified before). */
  resumedFrom?: number;
  /** The last signed digest this run found intact: where the next incremental run may start. */
  anchor?: VerifiedAnchor;
}

/** A signed digest's position that a previous run verified everything up to. */
export interface VerifiedAnchor {
  seq: number;
  hash: string;
}

export interface VerifyOptions {
  /** Per chain, a verified anchor to resume from instead of event #1 (incremental verification). */
  resumeFrom?: ReadonlyMap<string, VerifiedAnchor>;
  /** Called after each page of events with how many were read so far in this run. */
  onProgress?: (eventsRead: number) => void;
}

export interface Problem {
  kind: "changed" | "missing" | "digest-signature" | "digest-mismatch" | "truncated";
  chainSeq?: number;
  eventId?: string;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  chains: ChainReport[];
  events: number;
  /** The first problem found, for one-line reports. */
  firstProblem?: Problem & { chainId: string };
}

const PAGE = 2000;

type PublicKeys = Map<string, KeyObject>;

const signedBy = (keys: PublicKeys, keyId: string | null, payload: Buffer, signature: string | null) => {
  const key = keyId ? keys.get(keyId) : undefined;
  return !!key && !!signature && verifySignature("sha256", payload, key, Buffer.from(signature, "base64"));
};

async function verifyChain(
  chain: { id: string; prunedThroughSeq: number; prunedSignature: string | null; prunedKeyId: string | null },
  keys: PublicKeys,
  witnessed: WitnessedHead | undefined,
  start: VerifiedAnchor | undefined,
  progress: (n: number) => void,
): Promise<ChainReport> {
  const chainId = chain.id;
  let expectedSeq = 1;
  let prev = genesisHash(chainId);
  const hashes = new Map<number, string>(); // only hashes digests refer to
  const digests = await prisma.auditDigest.findMany({ where: { chainId }, orderBy: { lastSeq: "asc" } });
  const digestSeqs = new Set(digests.map((d) => d.lastSeq));
  if (witnessed) digestSeqs.add(witnessed.lastSeq);
  let problem: Problem | undefined;
  let events = 0;
  let cursor: bigint | undefined;

  // A chain purged under the retention policy resumes from the signed digest
  // at the purge point; the purge mark itself must carry Keyhold's signature.
  const pruned = chain.prunedThroughSeq;
  if (pruned > 0) {
    const at = digests.find((d) => d.lastSeq === pruned);
    if (!at || !signedBy(keys, chain.prunedKeyId, purgePayload(chainId, pruned), chain.prunedSignature)) {
      problem = { kind: "missing", chainSeq: 1, message: `events #1 to #${pruned} are gone without a signed purge at a signed digest` };
    } else {
      expectedSeq = pruned + 1;
      prev = at.lastHash;
      hashes.set(pruned, at.lastHash);
      cursor = BigInt(pruned);
    }
  }

  // Incremental: resume after an anchor a previous run verified, if a signed
  // digest still vouches for exactly that event and hash (its signature is
  // checked with the others below); otherwise walk the whole chain.
  let resumedFrom: number | undefined;
  if (!problem && start && start.seq > expectedSeq - 1 && digests.some((d) => d.lastSeq === start.seq && d.lastHash === start.hash)) {
    resumedFrom = start.seq;
    events = start.seq - (expectedSeq - 1);
    expectedSeq = start.seq + 1;
    prev = start.hash;
    hashes.set(start.seq, start.hash);
    cursor = BigInt(start.seq);
  }

  outer: for (; !problem; ) {
    const rows = await prisma.auditEvent.findMany({
      where: { chainId, ...(cursor !== undefined ? { chainSeq: { gt: Number(cursor) } } : {}) },
      orderBy: { chainSeq: "asc" },
      take: PAGE,
      select: { chainSeq: true, eventId: true, record: true, body: true, hash: true },
    });
    for (const row of rows) {
      events++;
      if (row.chainSeq !== expectedSeq) {
        problem = {
          kind: "missing",
          chainSeq: expectedSeq,
          message: `event #${expectedSeq} is missing (next present is #${row.chainSeq})`,
        };
        break outer;
      }
      let text: string;
      try {
        text = decodeRecord(row);
      } catch {
        text = ""; // a body that no longer inflates was changed: its hash cannot match
      }
      const actual = eventHash(prev, text);
      if (actual !== Buffer.from(row.hash).toString("hex")) {
        problem = { kind: "changed", chainSeq: row.chainSeq, eventId: row.eventId, message: `event #${row.chainSeq} was changed, or does not follow event #${row.chainSeq - 1} (its hash does not match its content after the previous event)` };
        break outer;
      }
      if (digestSeqs.has(row.chainSeq)) hashes.set(row.chainSeq, actual);
      prev = actual;
      expectedSeq++;
    }
    progress(rows.length);
    if (rows.length < PAGE) break;
    cursor = BigInt(rows[rows.length - 1]!.chainSeq);
  }
  const intactUpTo = problem ? (problem.chainSeq ?? expectedSeq) - 1 : expectedSeq - 1;

  // Digests: signature, link to the previous digest, and the hash they vouch for
  // (digests of purged events vouch for nothing that remains).
  let prevSignature: string | null = null;
  for (const d of digests) {
    const payload = digestPayload({ chainId, lastSeq: d.lastSeq, lastHash: d.lastHash, prevSignature: d.prevSignature, createdAt: d.createdAt });
    const valid = signedBy(keys, d.signingKeyId, payload, d.signature);
    if (!valid || d.prevSignature !== prevSignature) {
      problem ??= { kind: "digest-signature", chainSeq: d.lastSeq, message: `the digest covering events up to #${d.lastSeq} has an invalid signature` };
      break;
    }
    prevSignature = d.signature;
    // Digests before the resume point were matched against their events by an earlier run.
    if (!problem && d.lastSeq > pruned && d.lastSeq >= (resumedFrom ?? 0)) {
      if (d.lastSeq > intactUpTo) {
        problem = { kind: "truncated", chainSeq: intactUpTo + 1, message: `a signed digest covers events up to #${d.lastSeq}, but the chain ends at #${intactUpTo}` };
      } else if (hashes.get(d.lastSeq) !== d.lastHash) {
        problem = { kind: "digest-mismatch", chainSeq: d.lastSeq, message: `event #${d.lastSeq} differs from what its signed digest recorded` };
      }
    }
  }
  // The head witnessed outside the database after the last commit: covers
  // the events no digest covers yet (a crash's tail), and whole chains.
  if (!problem && witnessed && witnessed.lastSeq > pruned) {
    if (!signedBy(keys, witnessed.signingKeyId, headPayload(witnessed), witnessed.signature)) {
      problem = { kind: "digest-signature", chainSeq: witnessed.lastSeq, message: `the witnessed head of this chain (event #${witnessed.lastSeq}) has an invalid signature` };
    } else if (witnessed.lastSeq > intactUpTo) {
      problem = {
        kind: "truncated",
        chainSeq: intactUpTo + 1,
        message: `the witness outside the database shows events up to #${witnessed.lastSeq}, but the chain ends at #${intactUpTo}`,
      };
    } else if (hashes.get(witnessed.lastSeq) !== witnessed.lastHash) {
      problem = { kind: "digest-mismatch", chainSeq: witnessed.lastSeq, message: `event #${witnessed.lastSeq} differs from the witnessed head` };
    }
  }
  const last = problem ? undefined : digests.filter((d) => d.lastSeq > pruned && d.lastSeq <= intactUpTo).at(-1);
  return {
    chainId,
    events,
    intactUpTo,
    digests: digests.length,
    problem,
    ...(resumedFrom !== undefined ? { resumedFrom } : {}),
    ...(last ? { anchor: { seq: last.lastSeq, hash: last.lastHash } } : {}),
  };
}

/** The verifier itself, unaudited: for callers already inside an audited call (and tests). */
export async function verifyAuditTrail(options: VerifyOptions = {}): Promise<VerifyReport> {
  const chains = await prisma.auditChain.findMany({ orderBy: { startedAt: "asc" } });
  const keys: PublicKeys = new Map(
    (await prisma.auditSigningKey.findMany()).map((k) => [k.id, createPublicKey({ key: Buffer.from(k.publicKeyDer), format: "der", type: "spki" })]),
  );
  // Events whose chain row is missing are themselves evidence of tampering.
  // The chains present are found by a loose index scan (one probe of the
  // (chainId, chainSeq) index per chain), not by reading every event: this
  // runs on each visit of the audit page, and a DISTINCT over a million events
  // took ~0.4–0.8 s (bench:console).
  const orphans = await prisma.$queryRaw<{ chainId: string }[]>`
    WITH RECURSIVE chains AS (
      (SELECT "chainId" AS id FROM "AuditEvent" ORDER BY "chainId" LIMIT 1)
      UNION ALL
      SELECT (SELECT e."chainId" FROM "AuditEvent" e WHERE e."chainId" > chains.id ORDER BY e."chainId" LIMIT 1)
      FROM chains WHERE chains.id IS NOT NULL
    )
    SELECT ch.id::text AS "chainId" FROM chains ch
    WHERE ch.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "AuditChain" c WHERE c.id = ch.id)`;
  const heads = new Map((keys.size ? witnessedHeads((await auditSigner()).id) : []).map((h) => [h.chainId, h]));
  const reports: ChainReport[] = [];
  const unpruned = { prunedThroughSeq: 0, prunedSignature: null, prunedKeyId: null };
  const listed = [...chains, ...orphans.map((o) => ({ id: o.chainId, ...unpruned }))];
  // A chain witnessed here but gone from the database entirely: deleted with its digests.
  const gone = [...heads.keys()].filter((id) => !listed.some((c) => c.id === id)).map((id) => ({ id, ...unpruned }));
  let read = 0;
  const progress = (n: number) => {
    read += n;
    options.onProgress?.(read);
  };
  for (const c of [...listed, ...gone]) reports.push(await verifyChain(c, keys, heads.get(c.id), options.resumeFrom?.get(c.id), progress));
  const bad = reports.find((r) => r.problem);
  recordAuditVerification(!bad);
  return {
    ok: !bad,
    chains: reports,
    events: reports.reduce((n, r) => n + r.events, 0),
    ...(bad ? { firstProblem: { ...bad.problem!, chainId: bad.chainId } } : {}),
  };
}

/**
 * The verifier as a service operation: administrators and auditors, recorded
 * as VerifyAuditChain with its verdict ({ok, events, firstProblem}) as
 * responseElements. The event is appended after the walk, so the report
 * describes the trail as it was before this call.
 */
export function verifyAuditTrailAs(caller: Principal): Promise<VerifyReport> {
  return auditedTrailRead(
    AUDIT_READ_EVENTS.verify,
    caller,
    undefined,
    async () => {
      authorizeAuditRead(caller, "keyhold:VerifyAuditTrail");
      return verifyAuditTrail();
    },
    // The verdict is recorded (not the chains): alert rules watch for ok=false.
    (report) => ({ ok: report.ok, events: report.events, ...(report.firstProblem ? { firstProblem: report.firstProblem } : {}) }),
  );
}
