-- A secret an approved change produced (lib/approvals/secret-expiry.ts) is erased if its requester
-- never reveals it in time: this records when, so the request shows it expired unrevealed.
-- AlterTable
ALTER TABLE "ApprovalRequest" ADD COLUMN     "resultExpiredAt" TIMESTAMP(3);
