-- CreateTable
CREATE TABLE "KmsKey" (
    "id" UUID NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "keySpec" TEXT NOT NULL,
    "keyUsage" TEXT NOT NULL,
    "keyState" TEXT NOT NULL,
    "origin" TEXT NOT NULL DEFAULT 'AWS_KMS',
    "policy" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletionDate" TIMESTAMP(3),
    "pendingWindowInDays" INTEGER,
    "deletedAt" TIMESTAMP(3),
    "rotationEnabled" BOOLEAN NOT NULL DEFAULT false,
    "rotationPeriodInDays" INTEGER,
    "nextRotationDate" TIMESTAMP(3),
    "onDemandRotations" INTEGER NOT NULL DEFAULT 0,
    "currentVersion" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "KmsKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KeyMaterial" (
    "keyId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "wrapped" BYTEA NOT NULL,
    "wrappedBy" TEXT NOT NULL,
    "rotationType" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KeyMaterial_pkey" PRIMARY KEY ("keyId","version")
);

-- CreateTable
CREATE TABLE "Alias" (
    "name" TEXT NOT NULL,
    "keyId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Alias_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "KeyTag" (
    "keyId" UUID NOT NULL,
    "tagKey" TEXT NOT NULL,
    "tagValue" TEXT NOT NULL,

    CONSTRAINT "KeyTag_pkey" PRIMARY KEY ("keyId","tagKey")
);

-- CreateIndex
CREATE INDEX "KmsKey_createdAt_id_idx" ON "KmsKey"("createdAt", "id");

-- CreateIndex
CREATE INDEX "KmsKey_keyState_deletionDate_idx" ON "KmsKey"("keyState", "deletionDate");

-- CreateIndex
CREATE INDEX "KmsKey_rotationEnabled_nextRotationDate_idx" ON "KmsKey"("rotationEnabled", "nextRotationDate");

-- CreateIndex
CREATE INDEX "Alias_keyId_idx" ON "Alias"("keyId");

-- AddForeignKey
ALTER TABLE "KeyMaterial" ADD CONSTRAINT "KeyMaterial_keyId_fkey" FOREIGN KEY ("keyId") REFERENCES "KmsKey"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alias" ADD CONSTRAINT "Alias_keyId_fkey" FOREIGN KEY ("keyId") REFERENCES "KmsKey"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KeyTag" ADD CONSTRAINT "KeyTag_keyId_fkey" FOREIGN KEY ("keyId") REFERENCES "KmsKey"("id") ON DELETE CASCADE ON UPDATE CASCADE;
