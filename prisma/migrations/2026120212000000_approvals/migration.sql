-- Approvals (quorum, lib/approvals): rules per protected operation, held requests, approvers' decisions.
-- CreateTable
CREATE TABLE "ApprovalRule" (
    "operation" TEXT NOT NULL,
    "approvals" INTEGER NOT NULL,
    "approverRole" "Role" NOT NULL DEFAULT 'ADMINISTRATOR',
    "ttlSeconds" INTEGER NOT NULL DEFAULT 86400,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT NOT NULL,

    CONSTRAINT "ApprovalRule_pkey" PRIMARY KEY ("operation")
);

-- CreateTable
CREATE TABLE "ApprovalRequest" (
    "id" UUID NOT NULL,
    "operation" TEXT NOT NULL,
    "input" JSONB NOT NULL,
    "summary" JSONB NOT NULL,
    "requesterId" UUID,
    "requesterArn" TEXT NOT NULL,
    "requesterName" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "approvalsNeeded" INTEGER NOT NULL,
    "approverRole" "Role" NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "outcome" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "ApprovalRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApprovalDecision" (
    "requestId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "decidedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApprovalDecision_pkey" PRIMARY KEY ("requestId","userId")
);

-- CreateIndex
CREATE INDEX "ApprovalRequest_status_expiresAt_idx" ON "ApprovalRequest"("status", "expiresAt");

-- AddForeignKey
ALTER TABLE "ApprovalDecision" ADD CONSTRAINT "ApprovalDecision_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "ApprovalRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;
