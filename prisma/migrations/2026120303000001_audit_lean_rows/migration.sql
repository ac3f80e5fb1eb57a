-- Audit storage, issue 16: an event's previous hash is the hash of the event
-- before it in its chain, so it is no longer stored twice.
ALTER TABLE "AuditEvent" DROP COLUMN "prevHash";

-- Single-column indexes: B-tree deduplication packs the rows of one key,
-- principal or operation into posting lists.
DROP INDEX "AuditEvent_keyId_eventTime_idx";
DROP INDEX "AuditEvent_principalArn_eventTime_idx";
DROP INDEX "AuditEvent_eventName_eventTime_idx";
CREATE INDEX "AuditEvent_keyId_idx" ON "AuditEvent"("keyId");
CREATE INDEX "AuditEvent_principalArn_idx" ON "AuditEvent"("principalArn");
CREATE INDEX "AuditEvent_eventName_idx" ON "AuditEvent"("eventName");
