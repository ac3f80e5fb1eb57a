-- Audit storage, issue 16: new rows keep their record text deflated with a
-- preset dictionary in the body column, see lib/db/audit-record-codec.mjs;
-- older rows keep theirs in the record column. What SQL filtered on inside
-- the record text now has columns of its own: consoleView and userName.
ALTER TABLE "AuditEvent" ALTER COLUMN "record" DROP NOT NULL,
    ADD COLUMN "body" BYTEA,
    ADD COLUMN "consoleView" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "userName" TEXT;

-- The same tests lib/audit/filters.ts ran on the text: a console page read
-- is flagged since the flag exists, recognised by its shape before.
UPDATE "AuditEvent" SET
    "consoleView" = COALESCE("readOnly" AND (
        (record::jsonb #>> '{additionalEventData,consoleView}') = 'true'
        OR ((record::jsonb #>> '{additionalEventData,via}') = 'console'
            AND ("eventSource" = 'cloudtrail.amazonaws.com' OR "eventName" ~ '^(Describe|List|Get)'))), FALSE),
    "userName" = CASE WHEN "principalArn" IS NULL
        THEN COALESCE(record::jsonb #>> '{userIdentity,userName}', record::jsonb #>> '{userIdentity,invokedBy}') END;

-- Exactly one of the two holds the record: the writer sets only body, and the
-- decoder refuses a row with neither. (No CHECK constraint: Prisma's WASM
-- schema engine cannot describe one, and `npm run db:drift` crashes on it.)
