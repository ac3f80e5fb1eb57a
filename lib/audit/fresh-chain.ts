// One event on a chain of its own, written inside a caller's open
// transaction on a raw connection: for the one change the audit writer
// cannot record — a restore into an empty database. The writer creates its
// chain row and, on an empty database, a new signing key outside the call's
// transaction (and before it, on the embedded database), and records failed
// calls too: all of that would leave rows behind in the database being
// restored. Here everything (chain, event, signed digest) commits or rolls
// back with the restored rows, signed by the restored signing key, and the
// head is witnessed once the transaction has committed.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type pg from "pg";
import { digestPayload, eventHash, genesisHash } from "./chain";
import type { AuditRecord } from "./record";
import { newSigningKeyRow, signerOf, type SigningKeyRow } from "./signing-key";
import { storedColumns } from "./stored-row";
import { headPayload, witnessHead } from "./witness";

type Queryable = Pick<pg.PoolClient, "query">;

/** Records `record` on a new chain inside the transaction open on `db`; call the result after COMMIT. */
export async function recordOnFreshChain(db: Queryable, record: AuditRecord): Promise<() => void> {
  // The first signing key is the one the verifier's witness folder is named after.
  let { rows } = await db.query<SigningKeyRow>(`SELECT id, wrapped, "publicKeyDer" FROM "AuditSigningKey" ORDER BY "createdAt" ASC LIMIT 1`);
  if (rows.length === 0) {
    const fresh = await newSigningKeyRow();
    await db.query(`INSERT INTO "AuditSigningKey" (id, wrapped, "publicKeyDer") VALUES ($1, $2, $3)`, [fresh.id, Buffer.from(fresh.wrapped), Buffer.from(fresh.publicKeyDer)]);
    rows = [fresh];
  }
  const signer = signerOf(rows[0]!);
  const chainId = randomUUID();
  const text = JSON.stringify(record);
  const hash = eventHash(genesisHash(chainId), text);
  const c = storedColumns(record, text);
  await db.query(`INSERT INTO "AuditChain" (id, "startedAt", host, pid) VALUES ($1, $2::timestamp(3), $3, $4)`, [chainId, new Date().toISOString(), hostname(), process.pid]);
  await db.query(
    `INSERT INTO "AuditEvent" ("chainId","chainSeq","eventId","eventTime","eventSource","eventName","keyId","principalArn","userName","sourceIp","errorCode","readOnly","consoleView","body","hash")
     VALUES ($1, 1, $2, $3::timestamp(3), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::bytea, decode($14, 'hex'))`,
    [chainId, c.eventId, c.eventTime, c.eventSource, c.eventName, c.keyId, c.principalArn, c.userName, c.sourceIp, c.errorCode, c.readOnly, c.consoleView, c.body, hash],
  );
  const digest = { chainId, lastSeq: 1, lastHash: hash, prevSignature: null, createdAt: new Date() };
  await db.query(
    `INSERT INTO "AuditDigest" ("chainId","lastSeq","lastHash","prevSignature","createdAt","signingKeyId","signature") VALUES ($1, 1, $2, NULL, $3::timestamp(3), $4, $5)`,
    [chainId, hash, digest.createdAt.toISOString(), signer.id, await signer.sign(digestPayload(digest))],
  );
  const head = { chainId, lastSeq: 1, lastHash: hash };
  const witnessed = { ...head, signingKeyId: signer.id, signature: await signer.sign(headPayload(head)) };
  return () => witnessHead(signer.id, witnessed);
}
