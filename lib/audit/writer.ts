// The audit writer: appends events to this process's hash chain with group
// commit (all events that arrive while a write is in flight go into the next
// single INSERT), resolves each caller only after its event is committed,
// and signs a digest every DIGEST_EVERY events or DIGEST_INTERVAL_MS.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { pgPool, prisma } from "@/lib/db/client";
import { logger } from "@/lib/log";
import { digestPayload, eventHash, genesisHash } from "./chain";
import type { AuditRecord } from "./record";
import { auditSigner } from "./signing-key";

export const DIGEST_EVERY = 1000;
export const DIGEST_INTERVAL_MS = 60_000;

interface Pending {
  record: AuditRecord;
  text: string;
  keyId: string | null;
  resolve(): void;
  reject(e: unknown): void;
}

const KEY_ID = /:key\/([0-9a-f-]{36})$/;

type EventRow = {
  chainId: string;
  chainSeq: number;
  eventId: string;
  eventTime: string; // ISO 8601, UTC
  eventSource: string;
  eventName: string;
  keyId: string | null;
  principalArn: string | null;
  sourceIp: string;
  errorCode: string | null;
  readOnly: boolean;
  record: string;
  prevHash: string;
  hash: string;
};

/**
 * One INSERT for the whole batch, its rows as one JSON array parameter: a
 * fixed statement, one round trip, and the rows serialised by the native
 * JSON.stringify rather than escaped value by value as array literals. It
 * goes to the pool directly: this is the hot path of every audited call.
 * (Unnamed: the embedded database shares one session between connections,
 * so a named prepared statement would outlive a replaced pool client.)
 */
const INSERT_EVENTS = `INSERT INTO "AuditEvent" ("chainId","chainSeq","eventId","eventTime","eventSource","eventName","keyId","principalArn","sourceIp","errorCode","readOnly","record","prevHash","hash")
     SELECT "chainId","chainSeq","eventId","eventTime","eventSource","eventName","keyId","principalArn","sourceIp","errorCode","readOnly","record","prevHash","hash"
     FROM json_to_recordset($1::json) AS r("chainId" uuid, "chainSeq" int, "eventId" uuid, "eventTime" timestamp(3), "eventSource" text, "eventName" text,
       "keyId" uuid, "principalArn" text, "sourceIp" text, "errorCode" text, "readOnly" bool, "record" text, "prevHash" text, "hash" text)`;

async function insertEvents(rows: EventRow[]): Promise<void> {
  await pgPool().query(INSERT_EVENTS, [JSON.stringify(rows)]);
}

class ChainWriter {
  #chainId: string | undefined;
  #seq = 0;
  #lastHash = "";
  #queue: Pending[] = [];
  #flushing: Promise<void> | undefined;
  #digestedSeq = 0;
  #prevSignature: string | null = null;
  #timer: NodeJS.Timeout | undefined;

  append(record: AuditRecord): Promise<void> {
    const text = JSON.stringify(record);
    const keyArn = record.resources?.[0]?.ARN;
    return new Promise((resolve, reject) => {
      this.#queue.push({ record, text, keyId: (keyArn && KEY_ID.exec(keyArn)?.[1]) || null, resolve, reject });
      this.#schedule();
    });
  }

  #schedule() {
    if (this.#flushing) return; // the running flush picks the queue up when it ends
    this.#flushing = new Promise<void>((done) => setImmediate(() => void this.#drain().finally(done)));
  }

  async #drain() {
    while (this.#queue.length > 0) await this.#flush(this.#queue.splice(0));
    this.#flushing = undefined;
  }

  async #ensureChain() {
    if (this.#chainId) return this.#chainId;
    const id = randomUUID();
    await prisma.auditChain.create({ data: { id, host: hostname(), pid: process.pid } });
    this.#chainId = id;
    this.#lastHash = genesisHash(id);
    this.#timer = setInterval(() => void this.digest().catch((e) => logger.error({ err: e }, "audit digest failed")), DIGEST_INTERVAL_MS);
    this.#timer.unref();
    return id;
  }

  async #flush(batch: Pending[]) {
    try {
      const chainId = await this.#ensureChain();
      let seq = this.#seq;
      let prev = this.#lastHash;
      const rows: EventRow[] = batch.map((p) => {
        seq += 1;
        const hash = eventHash(prev, p.text);
        const r = p.record;
        const row = {
          chainId,
          chainSeq: seq,
          eventId: r.eventID,
          eventTime: r.eventTime,
          eventSource: r.eventSource,
          eventName: r.eventName,
          keyId: p.keyId,
          principalArn: r.userIdentity.arn ?? null,
          sourceIp: r.sourceIPAddress,
          errorCode: r.errorCode ?? null,
          readOnly: r.readOnly,
          record: p.text,
          prevHash: prev,
          hash,
        };
        prev = hash;
        return row;
      });
      await insertEvents(rows); // one statement: all or nothing
      this.#seq = seq;
      this.#lastHash = prev;
      for (const p of batch) p.resolve();
    } catch (e) {
      logger.error({ err: e, events: batch.length }, "audit write failed: the calls fail closed");
      for (const p of batch) p.reject(e);
      return;
    }
    if (this.#seq - this.#digestedSeq >= DIGEST_EVERY) {
      await this.digest().catch((e) => logger.error({ err: e }, "audit digest failed"));
    }
  }

  /** Signs a digest of everything committed so far (no-op when nothing is new). */
  async digest(): Promise<void> {
    if (!this.#chainId || this.#seq === this.#digestedSeq) return;
    const signer = await auditSigner();
    const d = { chainId: this.#chainId, lastSeq: this.#seq, lastHash: this.#lastHash, prevSignature: this.#prevSignature, createdAt: new Date() };
    const signature = await signer.sign(digestPayload(d));
    await prisma.auditDigest.create({ data: { ...d, signingKeyId: signer.id, signature } });
    this.#digestedSeq = d.lastSeq;
    this.#prevSignature = signature;
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    while (this.#flushing) await this.#flushing;
    await this.digest();
  }
}

const g = globalThis as unknown as { keyholdAuditWriter?: ChainWriter };
export const auditWriter = (): ChainWriter => (g.keyholdAuditWriter ??= new ChainWriter());
