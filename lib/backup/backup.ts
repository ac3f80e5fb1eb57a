// `keyhold backup`: every Keyhold table, read in one repeatable-read,
// read-only transaction (one snapshot, so the archive is consistent while
// the server keeps serving), streamed into an encrypted archive file.
import { closeSync, fsyncSync, linkSync, openSync, rmSync, writeSync } from "node:fs";
import { isAbsolute } from "node:path";
import { randomBytes } from "node:crypto";
import { audited } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import { pgPool } from "@/lib/db/client";
import { AccessDeniedException, AlreadyExistsException, ValidationException } from "@/lib/errors";
import { rootKeyStore } from "@/lib/crypto/keystore/process";
import { VERSION } from "@/lib/version";
import { ArchiveWriter, newArchive } from "./archive";
import { line } from "./content";
import { appliedMigrations, keyholdTables, quoteIdent } from "./tables";

const FETCH_ROWS = 2000;

export interface BackupResult {
  file: string;
  archiveId: string;
  bytes: number;
  protection: "root-key" | "passphrase";
  tables: Array<{ table: string; rows: number }>;
}

/** Recorded as CreateBackup by the caller (the account root through the CLI). */
export function createBackup(caller: Principal, input: { out?: unknown; passphrase?: unknown }): Promise<BackupResult> {
  const request = { out: input.out, protection: input.passphrase === undefined ? "root-key" : "passphrase" };
  return audited({ eventName: "CreateBackup", eventSource: "keyhold", caller, via: "cli", request, readOnly: true }, async () => {
    if (caller.kind !== "operator") throw new AccessDeniedException("Only the operator (the keyhold CLI) may back up the database");
    if (typeof input.out !== "string" || !isAbsolute(input.out)) throw new ValidationException("--out must name the archive file");
    if (input.passphrase !== undefined && (typeof input.passphrase !== "string" || input.passphrase.length < 12)) {
      throw new ValidationException("the passphrase must have at least 12 characters");
    }
    return writeBackup(input.out, input.passphrase as string | undefined);
  });
}

async function writeBackup(out: string, passphrase: string | undefined): Promise<BackupResult> {
  const { header, key } = await newArchive(passphrase === undefined ? { store: await rootKeyStore() } : { passphrase }, VERSION);
  // Written beside the target, then linked into place: never a half-written
  // archive under the name, and never over an existing file.
  const partial = `${out}.${randomBytes(6).toString("hex")}.partial`;
  const fd = openSync(partial, "wx", 0o600);
  let bytes = 0;
  const tables: BackupResult["tables"] = [];
  try {
    const writer = new ArchiveWriter(header, key, async (b) => {
      writeSync(fd, b);
      bytes += b.length;
    });
    const db = await pgPool().connect();
    try {
      await db.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      await db.query("SET LOCAL bytea_output = 'hex'");
      await writer.push(line({ tag: "H", migrations: await appliedMigrations(db) }));
      let total = 0;
      for (const t of await keyholdTables(db)) {
        await writer.push(line({ tag: "T", table: t.name, columns: t.columns }));
        await db.query(`DECLARE keyhold_backup NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS j FROM ${quoteIdent(t.name)} t`);
        let rows = 0;
        for (;;) {
          const page = await db.query<{ j: string }>(`FETCH ${FETCH_ROWS} FROM keyhold_backup`);
          for (const r of page.rows) await writer.push(line({ tag: "R", json: r.j }));
          rows += page.rows.length;
          if (page.rows.length < FETCH_ROWS) break;
        }
        await db.query("CLOSE keyhold_backup");
        await writer.push(line({ tag: "E", table: t.name, rows }));
        tables.push({ table: t.name, rows });
        total += rows;
      }
      await writer.push(line({ tag: "Z", tables: tables.length, rows: total }));
      await db.query("COMMIT");
    } catch (e) {
      await db.query("ROLLBACK").catch(() => {});
      throw e;
    } finally {
      db.release();
    }
    await writer.end();
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(partial, { force: true });
    throw e;
  }
  closeSync(fd);
  try {
    linkSync(partial, out);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") throw new AlreadyExistsException(`${out} already exists; choose another file name`);
    throw e;
  } finally {
    rmSync(partial, { force: true });
  }
  return { file: out, archiveId: header.archiveId, bytes, protection: header.protection.kind, tables };
}
