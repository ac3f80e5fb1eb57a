// `keyhold restore FILE`: an archive into an empty, migrated database, with
// the server stopped. The whole archive is authenticated before anything is
// written; then every row, the sequences and the RestoreBackup event commit
// in one transaction, so a wrong key, a tampered archive or a failure half
// way changes nothing.
import { open, type FileHandle } from "node:fs/promises";
import { isAbsolute } from "node:path";
import { recordOnFreshChain } from "@/lib/audit/fresh-chain";
import { buildRecord } from "@/lib/audit/record";
import { signerOf } from "@/lib/audit/signing-key";
import { operatorPrincipal } from "@/lib/auth/principal";
import { config } from "@/lib/config";
import { isCiphertextError } from "@/lib/crypto";
import { pgPool } from "@/lib/db/client";
import { ValidationException } from "@/lib/errors";
import { rootKeyStore } from "@/lib/crypto/keystore/process";
import { region } from "@/lib/settings/account";
import { archiveKey, ArchiveError, NOT_THIS_KEY, readChunks, readHeader, type ArchiveHeader, type ByteSource } from "./archive";
import { contentLines, type ContentLine } from "./content";
import { appliedMigrations, keyholdTables, quoteIdent, sequenceColumns, type Queryable } from "./tables";

const INSERT_ROWS = 500;

export interface RestoreResult {
  archiveId: string;
  archiveCreatedAt: string;
  tables: Array<{ table: string; rows: number }>;
  rows: number;
}

function fileSource(fh: FileHandle): ByteSource {
  let position = 0;
  return {
    async read(n) {
      const buffer = Buffer.alloc(n);
      let got = 0;
      while (got < n) {
        const { bytesRead } = await fh.read(buffer, got, n - got, position);
        if (bytesRead === 0) break;
        got += bytesRead;
        position += bytesRead;
      }
      return buffer.subarray(0, got);
    },
  };
}

/** Runs `fn` over the archive's authenticated content lines, from the start of the file. */
async function eachLine(file: string, key: Buffer, fn: (l: ContentLine) => Promise<void>): Promise<ArchiveHeader> {
  const fh = await open(file, "r");
  try {
    const source = fileSource(fh);
    const { header, hash } = await readHeader(source);
    for await (const l of contentLines(readChunks(source, hash, key))) await fn(l);
    return header;
  } finally {
    await fh.close();
  }
}

interface Survey {
  migrations: string[];
  tables: Map<string, string[]>;
  signingKey?: { id: string; wrapped: string; publicKeyDer: string };
}

/**
 * Pass one: authenticates every chunk and checks that this root key opens
 * the installation's audit-signing key (a passphrase archive opens with any
 * root key; its key material would not).
 */
async function survey(file: string, key: Buffer): Promise<Survey> {
  const s: Survey = { migrations: [], tables: new Map() };
  let table = "";
  await eachLine(file, key, async (l) => {
    if (l.tag === "H") s.migrations = l.migrations;
    else if (l.tag === "T") s.tables.set((table = l.table), l.columns);
    else if (l.tag === "R" && table === "AuditSigningKey" && !s.signingKey) s.signingKey = JSON.parse(l.json) as Survey["signingKey"];
  });
  if (s.signingKey) {
    const hex = (v: string) => new Uint8Array(Buffer.from(v.replace(/^\\x/, ""), "hex"));
    try {
      await signerOf({ id: s.signingKey.id, wrapped: hex(s.signingKey.wrapped), publicKeyDer: hex(s.signingKey.publicKeyDer) }).sign(Buffer.from("keyhold restore check"));
    } catch (e) {
      if (isCiphertextError(e)) throw new ArchiveError(NOT_THIS_KEY);
      throw e;
    }
  }
  return s;
}

/** Refuses a target that is not empty or does not know every archived table and column. */
async function checkTarget(db: Queryable, s: Survey): Promise<void> {
  const target = await keyholdTables(db);
  const migrations = new Set(await appliedMigrations(db));
  const missing = s.migrations.filter((m) => !migrations.has(m));
  const columns = new Map(target.map((t) => [t.name, new Set(t.columns)]));
  const unknown = [...s.tables].flatMap(([t, cols]) => (columns.has(t) ? cols.filter((c) => !columns.get(t)!.has(c)).map((c) => `${t}.${c}`) : [t]));
  if (missing.length || unknown.length) {
    throw new ValidationException(
      `the archive comes from a newer Keyhold (${[...missing, ...unknown].slice(0, 5).join(", ")} unknown here): restore it with the same or a newer version`,
    );
  }
  // No writer gets in between the check and the restore.
  await db.query(`LOCK TABLE ${target.map((t) => quoteIdent(t.name)).join(", ")} IN ACCESS EXCLUSIVE MODE`);
  const used: string[] = [];
  for (const t of target) {
    const { rows } = await db.query<{ used: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${quoteIdent(t.name)}) AS used`);
    if (rows[0]!.used) used.push(t.name);
  }
  if (used.length) {
    throw new ValidationException(
      `the target database is not empty (${used.join(", ")} hold rows): restore only into a new, empty database (migrated, never started)`,
    );
  }
}

export async function restoreBackup(input: { file?: unknown; passphrase?: unknown }): Promise<RestoreResult> {
  if (typeof input.file !== "string" || !isAbsolute(input.file)) throw new ValidationException("name the archive file: keyhold restore FILE");
  if (input.passphrase !== undefined && typeof input.passphrase !== "string") throw new ValidationException("the passphrase must be text");
  const file = input.file;
  const store = await rootKeyStore();
  const fh = await open(file, "r").catch((e: NodeJS.ErrnoException) => {
    throw new ValidationException(`cannot read ${file}: ${e.code ?? e.message}`);
  });
  let header: ArchiveHeader;
  try {
    header = (await readHeader(fileSource(fh))).header;
  } finally {
    await fh.close();
  }
  const key = await archiveKey(header, { store, passphrase: input.passphrase as string | undefined });
  try {
    const s = await survey(file, key);
    const db = await pgPool().connect();
    try {
      await db.query("BEGIN");
      await checkTarget(db, s);
      const result = await insertAll(db, file, key, header);
      const account = config().accountId ?? (await db.query<{ value: string }>(`SELECT value FROM "Setting" WHERE key = 'account_id'`)).rows[0]?.value;
      if (!account) throw new ArchiveError("the archive holds no account ID (set KEYHOLD_ACCOUNT_ID)");
      const record = buildRecord({
        eventName: "RestoreBackup",
        eventSource: "keyhold",
        caller: operatorPrincipal(account),
        via: "cli",
        region: region(),
        accountId: account,
        request: { file, archiveId: header.archiveId, archiveCreatedAt: header.createdAt, protection: header.protection.kind },
        response: { tables: result.tables.length, rows: result.rows },
        readOnly: false,
      });
      const witness = await recordOnFreshChain(db, record);
      await db.query("COMMIT");
      witness();
      return result;
    } catch (e) {
      await db.query("ROLLBACK").catch(() => {});
      throw e;
    } finally {
      db.release();
    }
  } finally {
    key.fill(0);
  }
}

/** Pass two: the rows, table by table in the archive's (foreign-key) order, then the sequences. */
async function insertAll(db: Queryable, file: string, key: Buffer, header: ArchiveHeader): Promise<RestoreResult> {
  const tables: RestoreResult["tables"] = [];
  let table = "";
  let columns = "";
  let batch: string[] = [];
  let rows = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const t = quoteIdent(table);
    await db.query(`INSERT INTO ${t} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${t}, $1::json)`, [`[${batch.join(",")}]`]);
    batch = [];
  };
  const again = await eachLine(file, key, async (l) => {
    if (l.tag === "T") {
      table = l.table;
      columns = l.columns.map(quoteIdent).join(", ");
    } else if (l.tag === "R") {
      batch.push(l.json);
      if (batch.length >= INSERT_ROWS) await flush();
    } else if (l.tag === "E") {
      await flush();
      tables.push({ table: l.table, rows: l.rows });
      rows += l.rows;
    }
  });
  // The file was read twice: it must be the same archive both times.
  if (again.archiveId !== header.archiveId) throw new ArchiveError("the archive file changed during the restore");
  for (const s of await sequenceColumns(db)) {
    const t = quoteIdent(s.table);
    const c = quoteIdent(s.column);
    await db.query(`SELECT setval($1, COALESCE((SELECT max(${c}) FROM ${t}), 1), (SELECT max(${c}) FROM ${t}) IS NOT NULL)`, [s.sequence]);
  }
  return { archiveId: header.archiveId, archiveCreatedAt: header.createdAt, tables, rows };
}
