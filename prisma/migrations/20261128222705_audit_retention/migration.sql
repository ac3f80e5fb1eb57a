-- AlterTable
ALTER TABLE "AuditChain" ADD COLUMN     "prunedKeyId" UUID,
ADD COLUMN     "prunedSignature" TEXT,
ADD COLUMN     "prunedThroughSeq" INTEGER NOT NULL DEFAULT 0;
