-- Audit storage, issue 16: the event hash as its 32 bytes, not 64 hex
-- characters. It is still hex wherever it leaves the table.
ALTER TABLE "AuditEvent" ALTER COLUMN "hash" TYPE BYTEA USING decode("hash", 'hex');
