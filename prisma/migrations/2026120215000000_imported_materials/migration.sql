-- Several imported key materials per EXTERNAL key (AWS, 2025): one row per
-- material ever imported, kept after DeleteImportedKeyMaterial so the same
-- material can come back and ListKeyRotations can show it as PENDING_IMPORT.
-- CreateTable
CREATE TABLE "ImportedMaterial" (
    "keyId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "fingerprint" BYTEA NOT NULL,
    "expirationModel" TEXT,
    "validTo" TIMESTAMP(3),
    "description" TEXT,
    "importedAt" TIMESTAMP(3) NOT NULL,
    "rotatedAt" TIMESTAMP(3),

    CONSTRAINT "ImportedMaterial_pkey" PRIMARY KEY ("keyId","version")
);

-- CreateIndex
CREATE INDEX "ImportedMaterial_validTo_idx" ON "ImportedMaterial"("validTo");

-- AddForeignKey
ALTER TABLE "ImportedMaterial" ADD CONSTRAINT "ImportedMaterial_keyId_fkey" FOREIGN KEY ("keyId") REFERENCES "KmsKey"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Keys imported before: their one material is the current version.
INSERT INTO "ImportedMaterial" ("keyId", "version", "fingerprint", "expirationModel", "validTo", "importedAt")
SELECT "id", "currentVersion", "importFingerprint", "expirationModel", "materialValidTo", "createdAt"
FROM "KmsKey" WHERE "origin" = 'EXTERNAL' AND "importFingerprint" IS NOT NULL;
