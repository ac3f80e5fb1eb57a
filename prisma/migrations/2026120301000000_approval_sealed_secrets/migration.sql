-- Approvals of operations whose input or result holds a secret (lib/approvals/held-input.ts, reveal.ts):
-- the secret part is kept sealed under the root key, never in the request's JSON.
-- AlterTable
ALTER TABLE "ApprovalRequest" ADD COLUMN     "resultRevealedAt" TIMESTAMP(3),
ADD COLUMN     "sealedInput" BYTEA,
ADD COLUMN     "sealedResult" BYTEA;
