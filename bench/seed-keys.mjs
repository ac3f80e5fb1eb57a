// Fills the key tables with `count` KMS keys straight through SQL, fast enough
// for ten thousand: the rows the service writes (prisma/schema.prisma's
// KmsKey, KeyMaterial, Alias, KeyTag), a believable mix of specs, states,
// rotation, aliases and tags, created over the last two years. The material
// is random bytes, not wrapped by any root key: the keys can be listed and
// described (the console's pages), never used. Benchmarks only (bench:console).

/** The account the seeded rows and bench/seed-audit.mjs's records name (pass it as KEYHOLD_ACCOUNT_ID). */
export const BENCH_ACCOUNT_ID = "111122223333";

/** Key ids ccccNNNN-… (readable in a plan or a log, never a real key's). */
export const seededKeyIds = (n) => Array.from({ length: n }, (_, i) => `${i.toString(16).padStart(8, "0")}-cccc-4ccc-8ccc-cccccccccccc`);

// As lib/kms/default-policy.ts writes it: the account root delegates to identity policies.
const defaultPolicy = (account) =>
  JSON.stringify(
    {
      Version: "2012-10-17",
      Id: "key-default-1",
      Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" }],
    },
    null,
    2,
  );

const TEAMS = ["payments", "crm", "platform", "reports", "identity", "billing", "iot", "security", "data", "search"];

/**
 * @param {import("pg").Client} db
 * @param {{ count: number, account?: string }} opts
 * @returns {Promise<string[]>} the key ids, in creation order (oldest first)
 */
export async function seedKeys(db, { count, account = BENCH_ACCOUNT_ID }) {
  const ids = seededKeyIds(count);
  const creator = `arn:aws:iam::${account}:user/admin`;
  // i % 100 decides the spec (80 % symmetric), i % 20 / i % 50 the state, i % 3 rotation.
  await db.query(
    `INSERT INTO "KmsKey" (id, description, "keySpec", "keyUsage", "keyState", origin, policy, "createdBy", "createdAt",
                           "deletionDate", "pendingWindowInDays", "rotationEnabled", "rotationPeriodInDays", "nextRotationDate")
     SELECT id, desc_, spec, usage, state, 'AWS_KMS', $2, $3, created,
            CASE WHEN state = 'PendingDeletion' THEN now() + make_interval(days => 7 + i % 23) END,
            CASE WHEN state = 'PendingDeletion' THEN 30 END,
            rotates, CASE WHEN rotates THEN 365 END,
            CASE WHEN rotates THEN now() + make_interval(days => 1 + i % 364) END
     FROM (
       SELECT i, ($1::uuid[])[i + 1] AS id,
              CASE WHEN i % 100 < 80 THEN 'SYMMETRIC_DEFAULT' WHEN i % 100 < 88 THEN 'RSA_2048' WHEN i % 100 < 94 THEN 'ECC_NIST_P256' ELSE 'HMAC_256' END AS spec,
              CASE WHEN i % 100 < 80 THEN 'ENCRYPT_DECRYPT' WHEN i % 100 < 94 THEN 'SIGN_VERIFY' ELSE 'GENERATE_VERIFY_MAC' END AS usage,
              CASE WHEN i % 50 = 7 THEN 'PendingDeletion' WHEN i % 20 = 3 THEN 'Disabled' ELSE 'Enabled' END AS state,
              'Service ' || i || ' of the ' || ($4::text[])[1 + i % 10] || ' team' AS desc_,
              now() - make_interval(days => 730) + (i * make_interval(days => 730) / cardinality($1::uuid[])) AS created,
              (i % 100 < 80 AND i % 3 = 0 AND i % 50 <> 7) AS rotates
       FROM generate_series(0, cardinality($1::uuid[]) - 1) AS i
     ) AS g`,
    [ids, defaultPolicy(account), creator, TEAMS],
  );
  await db.query(
    `INSERT INTO "KeyMaterial" ("keyId", version, wrapped, "wrappedBy", "createdAt")
     SELECT id, 1, decode(md5(id::text) || md5(id::text || 'x') || md5(id::text || 'y'), 'hex'), 'bench:not-wrapped', "createdAt" FROM "KmsKey" WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  // Seven in ten keys have an alias, one in ten a second one.
  await db.query(
    `INSERT INTO "Alias" (name, "keyId", "createdAt", "updatedAt")
     SELECT 'alias/' || ($2::text[])[1 + i % 10] || '/service-' || i, ($1::uuid[])[i + 1], now(), now()
     FROM generate_series(0, cardinality($1::uuid[]) - 1) AS i WHERE i % 10 < 7
     UNION ALL
     SELECT 'alias/' || ($2::text[])[1 + i % 10] || '/service-' || i || '-legacy', ($1::uuid[])[i + 1], now(), now()
     FROM generate_series(0, cardinality($1::uuid[]) - 1) AS i WHERE i % 10 = 0`,
    [ids, TEAMS],
  );
  await db.query(
    `INSERT INTO "KeyTag" ("keyId", "tagKey", "tagValue")
     SELECT ($1::uuid[])[i + 1], 'team', ($2::text[])[1 + i % 10] FROM generate_series(0, cardinality($1::uuid[]) - 1) AS i
     UNION ALL
     SELECT ($1::uuid[])[i + 1], 'env', (ARRAY['prod','staging','dev'])[1 + i % 3] FROM generate_series(0, cardinality($1::uuid[]) - 1) AS i`,
    [ids, TEAMS],
  );
  return ids;
}
