-- CreateTable
CREATE TABLE "KmsGrant" (
    "id" TEXT NOT NULL,
    "keyId" UUID NOT NULL,
    "token" TEXT NOT NULL,
    "name" TEXT,
    "granteePrincipal" TEXT NOT NULL,
    "retiringPrincipal" TEXT,
    "operations" TEXT[],
    "constraints" JSONB,
    "issuingAccount" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KmsGrant_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "KmsGrant_token_key" ON "KmsGrant"("token");

-- CreateIndex
CREATE INDEX "KmsGrant_keyId_createdAt_idx" ON "KmsGrant"("keyId", "createdAt");

-- CreateIndex
CREATE INDEX "KmsGrant_keyId_granteePrincipal_idx" ON "KmsGrant"("keyId", "granteePrincipal");

-- CreateIndex
CREATE INDEX "KmsGrant_retiringPrincipal_idx" ON "KmsGrant"("retiringPrincipal");

-- CreateIndex
CREATE INDEX "KmsGrant_keyId_name_idx" ON "KmsGrant"("keyId", "name");
