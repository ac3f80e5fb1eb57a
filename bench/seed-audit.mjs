// Fills the audit table with CloudTrail-shaped events straight through SQL, fast
// enough for a million rows: realistic record text (the shape and size of a
// real Encrypt/Decrypt event), keys and principals spread round-robin, times
// spread evenly over the last `days` days, 3 % errors, one chain per 100,000
// events. Hashes are placeholders: the chain does not verify. Benchmarks only
// (bench:audit-storage, bench:console); whoever changes the AuditEvent row
// format changes this one INSERT.

/** Key ids 0000002a-1111-… as bench:audit-storage has always used them. */
export const benchKeyIds = (n) => Array.from({ length: n }, (_, i) => `${i.toString(16).padStart(8, "0")}-1111-4111-8111-111111111111`);
export const benchPrincipals = (n) => Array.from({ length: n }, (_, i) => `arn:aws:iam::111122223333:user/app-${i}`);

/**
 * @param {import("pg").Client} db
 * @param {{ events: number, keyIds?: string[], principals?: string[], days?: number }} opts
 */
export function seedAuditEvents(db, { events, keyIds = benchKeyIds(60), principals = benchPrincipals(25), days = 30 }) {
  return db.query(
    `INSERT INTO "AuditEvent" ("chainId","chainSeq","eventId","eventTime","eventSource","eventName","keyId","principalArn","sourceIp","errorCode","readOnly","record","prevHash","hash")
     SELECT chain, seq, eid, t, 'kms.amazonaws.com', op, key, principal, '10.0.' || (i % 250) || '.' || (i % 199), err, op <> 'CreateGrant',
            json_build_object(
              'eventVersion','1.08',
              'userIdentity', json_build_object('type','IAMUser','principalId', md5(principal),'arn',principal,'accountId','111122223333','accessKeyId','AKIA' || upper(substr(md5(principal),1,16)),'userName', split_part(principal,'/',2),'sessionContext',json_build_object('attributes',json_build_object('mfaAuthenticated','false'))),
              'eventTime', to_char(t AT TIME ZONE 'UTC','YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'eventSource','kms.amazonaws.com','eventName',op,'awsRegion','us-east-1',
              'sourceIPAddress','10.0.' || (i % 250) || '.' || (i % 199),
              'userAgent','aws-sdk-js/3.700.0 ua/2.1 os/linux#6.1 lang/js md/nodejs#20.20.2 api/kms#3.700.0 m/E',
              'requestParameters', json_build_object('keyId','arn:aws:kms:us-east-1:111122223333:key/' || key,'encryptionAlgorithm','SYMMETRIC_DEFAULT','encryptionContext',json_build_object('tenant','t' || (i % 97))),
              'responseElements', null,
              'additionalEventData', json_build_object('keyMaterialId', md5(key::text) || md5(key::text), 'via','api'),
              'requestID', gen_random_uuid(), 'eventID', eid, 'readOnly', true,
              'resources', json_build_array(json_build_object('ARN','arn:aws:kms:us-east-1:111122223333:key/' || key,'accountId','111122223333','type','AWS::KMS::Key')),
              'eventType','AwsApiCall','managementEvent',true,'recipientAccountId','111122223333','eventCategory','Management'
            )::text,
            md5(i::text) || md5((i + 1)::text), md5((i + 1)::text) || md5(i::text)
     FROM (
       SELECT i,
              (lpad(to_hex(i / 100000), 8, '0') || '-0000-4000-8000-000000000000')::uuid AS chain,
              (i % 100000) + 1 AS seq,
              gen_random_uuid() AS eid,
              now() - make_interval(days => $4) + (i * make_interval(days => $4) / $1) AS t,
              (ARRAY['Encrypt','Decrypt','GenerateDataKey','Decrypt','Encrypt','DescribeKey','ReEncrypt','Decrypt','CreateGrant'])[1 + i % 9] AS op,
              ($2::uuid[])[1 + i % cardinality($2::uuid[])] AS key,
              ($3::text[])[1 + i % cardinality($3::text[])] AS principal,
              CASE WHEN i % 33 = 0 THEN 'AccessDeniedException' WHEN i % 101 = 0 THEN 'InvalidCiphertextException' END AS err
       FROM generate_series(0, $1 - 1) AS i
     ) AS g`,
    [events, keyIds, principals, days],
  );
}
