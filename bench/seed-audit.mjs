// Fills the audit table with CloudTrail-shaped events, fast enough for a
// million rows: realistic records (the shape and size of a real
// Encrypt/Decrypt event, built as the writer builds them: compact JSON,
// stored deflated through lib/db/audit-record-codec.mjs like every new row),
// keys and principals spread round-robin, times spread evenly over the last
// `days` days, 3 % errors, one chain per 100,000 events. Hashes are
// placeholders: the chain does not verify. Benchmarks only
// (bench:audit-storage, bench:console); whoever changes the AuditEvent row
// format changes this one INSERT.
import { createHash, randomUUID } from "node:crypto";
import { encodeRecord } from "../lib/db/audit-record-codec.mjs";

/** Key ids 0000002a-1111-… as bench:audit-storage has always used them. */
export const benchKeyIds = (n) => Array.from({ length: n }, (_, i) => `${i.toString(16).padStart(8, "0")}-1111-4111-8111-111111111111`);
export const benchPrincipals = (n) => Array.from({ length: n }, (_, i) => `arn:aws:iam::111122223333:user/app-${i}`);

const OPERATIONS = ["Encrypt", "Decrypt", "GenerateDataKey", "Decrypt", "Encrypt", "DescribeKey", "ReEncrypt", "Decrypt", "CreateGrant"];
const BATCH = 10_000;
const md5 = (s) => createHash("md5").update(s).digest("hex");

const INSERT = `INSERT INTO "AuditEvent" ("chainId","chainSeq","eventId","eventTime","eventSource","eventName","keyId","principalArn","sourceIp","errorCode","readOnly","body","hash")
  SELECT chain, seq, eid, t, 'kms.amazonaws.com', op, key, principal, ip, err, op <> 'CreateGrant', body, decode(md5((g.i + 1)::text) || md5(g.i::text), 'hex')
  FROM unnest($1::int[], $2::uuid[], $3::int[], $4::uuid[], $5::timestamp(3)[], $6::text[], $7::uuid[], $8::text[], $9::text[], $10::text[], $11::bytea[])
    AS g(i, chain, seq, eid, t, op, key, principal, ip, err, body)`;

function record(i, t, op, key, principal, ip, err, eid) {
  const keyArn = `arn:aws:kms:us-east-1:111122223333:key/${key}`;
  const principalId = md5(principal);
  return JSON.stringify({
    eventVersion: "1.08",
    userIdentity: {
      type: "IAMUser",
      principalId,
      arn: principal,
      accountId: "111122223333",
      accessKeyId: `AKIA${principalId.slice(0, 16).toUpperCase()}`,
      userName: principal.split("/")[1],
      sessionContext: { attributes: { mfaAuthenticated: "false" } },
    },
    eventTime: t,
    eventSource: "kms.amazonaws.com",
    eventName: op,
    awsRegion: "us-east-1",
    sourceIPAddress: ip,
    userAgent: "aws-sdk-js/3.700.0 ua/2.1 os/linux#6.1 lang/js md/nodejs#20.20.2 api/kms#3.700.0 m/E",
    requestParameters: { keyId: keyArn, encryptionAlgorithm: "SYMMETRIC_DEFAULT", encryptionContext: { tenant: `t${i % 97}` } },
    responseElements: null,
    additionalEventData: { keyMaterialId: md5(key) + md5(key), via: "api" },
    ...(err ? { errorCode: err, errorMessage: `${err} for ${keyArn}` } : {}),
    requestID: randomUUID(),
    eventID: eid,
    readOnly: op !== "CreateGrant",
    resources: [{ ARN: keyArn, accountId: "111122223333", type: "AWS::KMS::Key" }],
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: "111122223333",
    eventCategory: "Management",
  });
}

/**
 * @param {import("pg").Client} db
 * @param {{ events: number, keyIds?: string[], principals?: string[], days?: number }} opts
 */
export async function seedAuditEvents(db, { events, keyIds = benchKeyIds(60), principals = benchPrincipals(25), days = 30 }) {
  const span = days * 86_400_000;
  const start = Date.now() - span;
  for (let from = 0; from < events; from += BATCH) {
    const cols = Array.from({ length: 11 }, () => []);
    for (let i = from; i < Math.min(events, from + BATCH); i++) {
      const t = new Date(start + Math.floor((i * span) / events)).toISOString();
      const op = OPERATIONS[i % OPERATIONS.length];
      const key = keyIds[i % keyIds.length];
      const principal = principals[i % principals.length];
      const ip = `10.0.${i % 250}.${i % 199}`;
      const err = i % 33 === 0 ? "AccessDeniedException" : i % 101 === 0 ? "InvalidCiphertextException" : null;
      const eid = randomUUID();
      const row = [i, `${Math.floor(i / 100_000).toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`, (i % 100_000) + 1, eid, t, op, key, principal, ip, err, encodeRecord(record(i, t, op, key, principal, ip, err, eid), eid)];
      row.forEach((v, c) => cols[c].push(v));
    }
    await db.query(INSERT, cols);
  }
}
