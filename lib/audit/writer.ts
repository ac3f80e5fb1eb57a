// The audit writer: appends events to this process's hash chain.
// - Reads and cryptographic calls: group commit (all events that arrive while
//   a write is in flight go into the next single INSERT); each caller is
//   resolved only after its event is committed.
// - Changes: the chain is reserved for one change transaction at a time; its
//   events are inserted inside that transaction, and the chain head moves on
//   only when it commits (lib/audit/change.ts). A change and its event commit
//   together or not at all.
// A digest is signed every DIGEST_EVERY events or DIGEST_INTERVAL_MS.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { auditPool, directPrisma, isSingleSession } from "@/lib/db/client";
import { outsideTransaction, type TransactionClient } from "@/lib/db/transaction";
import { logger } from "@/lib/log";
import { recordAuditCommit, watchAuditQueue } from "@/lib/metrics";
import { digestPayload, eventHash, genesisHash } from "./chain";
import type { AuditRecord } from "./record";
import { auditSigner } from "./signing-key";
import { storedColumns, type StoredColumns } from "./stored-row";
import { headPayload, witnessHead } from "./witness";

export const DIGEST_EVERY = 1000;
export const DIGEST_INTERVAL_MS = 60_000;

interface Pending {
  record: AuditRecord;
  text: string;
  resolve(): void;
  reject(e: unknown): void;
}

type EventRow = StoredColumns & {
  chainId: string;
  chainSeq: number;
  hash: Buffer;
};

const COLUMNS = [
  ["chainId", "uuid"], ["chainSeq", "int"], ["eventId", "uuid"], ["eventTime", "timestamp(3)"], ["eventSource", "text"], ["eventName", "text"],
  ["keyId", "uuid"], ["principalArn", "text"], ["userName", "text"], ["sourceIp", "text"], ["errorCode", "text"], ["readOnly", "bool"],
  ["consoleView", "bool"], ["body", "bytea"], ["hash", "bytea"],
] as const satisfies ReadonlyArray<readonly [keyof EventRow, string]>;
const COLUMN_LIST = COLUMNS.map(([name]) => `"${name}"`).join(",");

/**
 * One INSERT for a batch, its rows as one JSON array parameter: a fixed
 * statement of any size, for the change transactions (through Prisma) and
 * the embedded database (one session shared between connections, so no
 * named statement: it would outlive a replaced pool client).
 */
const INSERT_EVENTS = `INSERT INTO "AuditEvent" (${COLUMN_LIST}) SELECT ${COLUMN_LIST}
     FROM json_to_recordset($1::json) AS r(${COLUMNS.map(([name, type]) => `"${name}" ${type}`).join(", ")})`;

/** INSERT_EVENTS' parameter: the rows as JSON, their bytea columns as PostgreSQL's hex input. */
function rowsAsJson(rows: EventRow[]): string {
  return JSON.stringify(rows.map((row) => ({ ...row, body: `\\x${row.body.toString("hex")}`, hash: `\\x${row.hash.toString("hex")}` })));
}

/**
 * The group commit on PostgreSQL: a multi-row VALUES statement, prepared once
 * per batch size on each audit connection. PostgreSQL then parses no JSON:
 * 16-row batches measured 50–57 → 44–46 µs of server CPU per row (the
 * rest is the commit, ~250 µs per batch, and the indexes). The bytea columns
 * go as binary parameters (node-postgres sends a Buffer so): half the bytes
 * of hex text, and nothing for PostgreSQL to decode.
 */
const PREPARED_SIZES = 64;
/** Bound on one statement's rows: PostgreSQL takes at most 65,535 parameters. */
export const MAX_BATCH_EVENTS = 1_000;
const valuesInserts = new Map<number, string>();

function valuesInsert(rows: EventRow[]): { name?: string; text: string; values: unknown[] } {
  const n = rows.length;
  const prepared = n <= PREPARED_SIZES;
  let text = valuesInserts.get(n);
  if (!text) {
    const tuples = Array.from({ length: n }, (_, i) => `(${COLUMNS.map(([, type], j) => `$${i * COLUMNS.length + j + 1}::${type}`).join(",")})`);
    text = `INSERT INTO "AuditEvent" (${COLUMN_LIST}) VALUES ${tuples.join(",")}`;
    if (prepared) valuesInserts.set(n, text);
  }
  const values: unknown[] = new Array(n * COLUMNS.length);
  let k = 0;
  for (const row of rows) for (const [name] of COLUMNS) values[k++] = row[name];
  return prepared ? { name: `keyhold_audit_insert_${n}`, text, values } : { text, values };
}

/** One holder at a time, first come first served. */
class ChainLock {
  #tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => held);
    return ready;
  }
}

/** The chain reserved for one change transaction (see ChainWriter.reserve). */
export interface ChainReservation {
  /** Inserts the records, chained after everything committed, inside `tx`. */
  insert(tx: TransactionClient, records: AuditRecord[]): Promise<void>;
  /** The transaction committed: the chain head moves past its events (and is witnessed). */
  committed(): Promise<void>;
  /** The transaction rolled back: the chain head stays. */
  abandoned(): Promise<void>;
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
  #lock = new ChainLock();

  constructor() {
    watchAuditQueue(() => this.#queue.length);
  }

  append(record: AuditRecord): Promise<void> {
    const text = JSON.stringify(record);
    return new Promise((resolve, reject) => {
      this.#queue.push({ record, text, resolve, reject });
      this.#schedule();
    });
  }

  #schedule() {
    if (this.#flushing) return; // the running flush picks the queue up when it ends
    // Outside any call's transaction: the batch is shared by many callers.
    this.#flushing = outsideTransaction(() => new Promise<void>((done) => setImmediate(() => void this.#drain().finally(done))));
  }

  async #drain() {
    while (this.#queue.length > 0) {
      const release = await this.#lock.acquire();
      let digestDue = false;
      try {
        digestDue = await this.#flush(this.#queue.splice(0, MAX_BATCH_EVENTS));
      } finally {
        release();
      }
      if (digestDue) await this.digest().catch((e) => logger.error({ err: e }, "audit digest failed"));
    }
    this.#flushing = undefined;
  }

  async #ensureChain() {
    if (this.#chainId) return this.#chainId;
    const id = randomUUID();
    await outsideTransaction(() => directPrisma().auditChain.create({ data: { id, host: hostname(), pid: process.pid } }));
    // Loaded now, before any change transaction can hold the embedded
    // database's one session, so signing never has to wait for it.
    await auditSigner();
    this.#chainId = id;
    this.#lastHash = genesisHash(id);
    this.#timer = outsideTransaction(() =>
      setInterval(() => void this.digest().catch((e) => logger.error({ err: e }, "audit digest failed")), DIGEST_INTERVAL_MS),
    );
    this.#timer.unref();
    return id;
  }

  #rows(chainId: string, texts: Array<{ record: AuditRecord; text: string }>): { rows: EventRow[]; seq: number; hash: string } {
    let seq = this.#seq;
    let prev = this.#lastHash;
    const rows = texts.map(({ record: r, text }) => {
      seq += 1;
      const hash = eventHash(prev, text);
      const row: EventRow = { chainId, chainSeq: seq, ...storedColumns(r, text), hash: Buffer.from(hash, "hex") };
      prev = hash;
      return row;
    });
    return { rows, seq, hash: prev };
  }

  /**
   * Signs the committed head and writes it to the witness outside the
   * database, before any caller of the batch is answered. A witness that
   * cannot be written is logged, not fatal: the events are committed.
   */
  async #witness(): Promise<void> {
    try {
      const signer = await auditSigner();
      const head = { chainId: this.#chainId!, lastSeq: this.#seq, lastHash: this.#lastHash };
      witnessHead(signer.id, { ...head, signingKeyId: signer.id, signature: await signer.sign(headPayload(head)) });
    } catch (e) {
      logger.error({ err: e }, "could not witness the audit chain head");
    }
  }

  /** Writes a group-commit batch; true when a digest is due. */
  async #flush(batch: Pending[]): Promise<boolean> {
    const started = performance.now();
    try {
      const chainId = await this.#ensureChain();
      const { rows, seq, hash } = this.#rows(chainId, batch);
      // One statement: all or nothing.
      await auditPool().query(isSingleSession() ? { text: INSERT_EVENTS, values: [rowsAsJson(rows)] } : valuesInsert(rows));
      this.#seq = seq;
      this.#lastHash = hash;
      await this.#witness();
      recordAuditCommit(batch.length, (performance.now() - started) / 1000);
      for (const p of batch) p.resolve();
    } catch (e) {
      recordAuditCommit(batch.length, 0, true);
      logger.error({ err: e, events: batch.length }, "audit write failed: the calls fail closed");
      for (const p of batch) p.reject(e);
      if (!rejectedByServer(e)) this.#abandonChain();
      return false;
    }
    return this.#seq - this.#digestedSeq >= DIGEST_EVERY;
  }

  /**
   * Whether a write the client gave up on (timeout, lost connection) was
   * committed is unknown: a frozen database may still run it when it
   * resumes. Rather than guess where the chain ends, the next event starts a
   * new chain (the old one stays verifiable up to its witnessed head).
   */
  #abandonChain() {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#chainId = undefined;
    this.#seq = 0;
    this.#digestedSeq = 0;
    this.#prevSignature = null;
  }

  /**
   * Reserves the chain for one change transaction: no other event is chained
   * until the reservation is committed or abandoned. On the embedded
   * database take it before opening the transaction (the transaction holds
   * the only session, which the group commit would otherwise wait for).
   */
  async reserve(): Promise<ChainReservation> {
    const release = await this.#lock.acquire();
    let next: { seq: number; hash: string } | undefined;
    let done = false;
    const finish = async (advance: boolean) => {
      if (done) return;
      done = true;
      if (advance && next) {
        this.#seq = next.seq;
        this.#lastHash = next.hash;
        await this.#witness();
      } else if (next) {
        this.#abandonChain(); // inserted, then the commit failed: its outcome is unknown
      }
      release();
      if (this.#seq - this.#digestedSeq >= DIGEST_EVERY) void this.digest().catch((e) => logger.error({ err: e }, "audit digest failed"));
    };
    try {
      await this.#ensureChain();
    } catch (e) {
      await finish(false);
      throw e;
    }
    return {
      insert: async (tx, records) => {
        if (done) throw new Error("audit chain reservation already finished");
        const { rows, seq, hash } = this.#rows(this.#chainId!, records.map((record) => ({ record, text: JSON.stringify(record) })));
        if (rows.length === 0) return;
        await tx.$executeRawUnsafe(INSERT_EVENTS, rowsAsJson(rows));
        next = { seq, hash };
      },
      committed: () => finish(true),
      abandoned: () => finish(false),
    };
  }

  /** Signs a digest of everything committed so far (no-op when nothing is new). */
  async digest(): Promise<void> {
    if (!this.#chainId || this.#seq === this.#digestedSeq) return;
    await outsideTransaction(async () => {
      const signer = await auditSigner();
      const d = { chainId: this.#chainId!, lastSeq: this.#seq, lastHash: this.#lastHash, prevSignature: this.#prevSignature, createdAt: new Date() };
      const signature = await signer.sign(digestPayload(d));
      await directPrisma().auditDigest.create({ data: { ...d, signingKeyId: signer.id, signature } });
      this.#digestedSeq = d.lastSeq;
      this.#prevSignature = signature;
    });
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    while (this.#flushing) await this.#flushing;
    const release = await this.#lock.acquire(); // let a change in progress finish
    release();
    await this.digest();
  }
}

/** A statement the server refused (it has a SQLSTATE): certainly not committed. */
function rejectedByServer(e: unknown): boolean {
  return typeof (e as { code?: unknown })?.code === "string" && /^[0-9A-Z]{5}$/.test((e as { code: string }).code);
}

const g = globalThis as unknown as { keyholdAuditWriter?: ChainWriter };
export const auditWriter = (): ChainWriter => (g.keyholdAuditWriter ??= new ChainWriter());
