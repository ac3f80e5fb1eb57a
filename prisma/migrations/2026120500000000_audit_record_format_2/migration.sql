-- Audit record format 2 (lib/db/audit-record-codec.mjs): new rows keep the
-- record's eventID value only in "eventId". A Keyhold from before this
-- migration cannot read those bodies, so the migration also marks the schema:
-- its restore refuses an archive made from here on ("comes from a newer
-- Keyhold") instead of restoring events it would report as changed.
COMMENT ON COLUMN "AuditEvent"."body" IS 'The record text deflated: [format tag][raw DEFLATE] (lib/db/audit-record-codec.mjs). Format 2 keeps the eventID value only in "eventId".';
