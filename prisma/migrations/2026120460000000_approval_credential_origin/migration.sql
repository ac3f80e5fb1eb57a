-- Who created each access key, and which access key made a held API call: an
-- approver must not be the one who minted the credential the request came from.
ALTER TABLE "AccessKey" ADD COLUMN "createdById" UUID;
ALTER TABLE "ApprovalRequest" ADD COLUMN "requesterAccessKeyId" TEXT;
