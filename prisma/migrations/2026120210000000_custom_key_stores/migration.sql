-- Custom key stores (AWS_CLOUDHSM over PKCS#11) and the keys that live in them.
CREATE TABLE "CustomKeyStore" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "storeType" TEXT NOT NULL DEFAULT 'AWS_CLOUDHSM',
    "clusterId" TEXT NOT NULL,
    "trustAnchor" TEXT NOT NULL,
    "passwordWrapped" BYTEA NOT NULL,
    "connectionState" TEXT NOT NULL DEFAULT 'DISCONNECTED',
    "connectionError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomKeyStore_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "CustomKeyStore_name_key" ON "CustomKeyStore"("name");
CREATE UNIQUE INDEX "CustomKeyStore_clusterId_key" ON "CustomKeyStore"("clusterId");
CREATE INDEX "CustomKeyStore_createdAt_id_idx" ON "CustomKeyStore"("createdAt", "id");

ALTER TABLE "KmsKey" ADD COLUMN "customKeyStoreId" TEXT;
CREATE INDEX "KmsKey_customKeyStoreId_idx" ON "KmsKey"("customKeyStoreId");
ALTER TABLE "KmsKey" ADD CONSTRAINT "KmsKey_customKeyStoreId_fkey" FOREIGN KEY ("customKeyStoreId") REFERENCES "CustomKeyStore"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
