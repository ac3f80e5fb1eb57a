-- AlterTable
ALTER TABLE "KmsKey" ADD COLUMN     "expirationModel" TEXT,
ADD COLUMN     "importFingerprint" BYTEA,
ADD COLUMN     "materialValidTo" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ImportParameters" (
    "id" UUID NOT NULL,
    "keyId" UUID NOT NULL,
    "wrappingAlgorithm" TEXT NOT NULL,
    "wrappingKeySpec" TEXT NOT NULL,
    "privateKeyWrapped" BYTEA NOT NULL,
    "wrappedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "validTo" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ImportParameters_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ImportParameters_keyId_idx" ON "ImportParameters"("keyId");

-- CreateIndex
CREATE INDEX "ImportParameters_validTo_idx" ON "ImportParameters"("validTo");

-- CreateIndex
CREATE INDEX "KmsKey_materialValidTo_idx" ON "KmsKey"("materialValidTo");

-- AddForeignKey
ALTER TABLE "ImportParameters" ADD CONSTRAINT "ImportParameters_keyId_fkey" FOREIGN KEY ("keyId") REFERENCES "KmsKey"("id") ON DELETE CASCADE ON UPDATE CASCADE;
