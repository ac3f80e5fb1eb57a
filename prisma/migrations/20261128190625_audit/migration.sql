-- CreateTable
CREATE TABLE "AuditChain" (
    "id" UUID NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,

    CONSTRAINT "AuditChain_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "chainId" UUID NOT NULL,
    "chainSeq" INTEGER NOT NULL,
    "eventId" UUID NOT NULL,
    "eventTime" TIMESTAMP(3) NOT NULL,
    "eventSource" TEXT NOT NULL,
    "eventName" TEXT NOT NULL,
    "keyId" UUID,
    "principalArn" TEXT,
    "sourceIp" TEXT,
    "errorCode" TEXT,
    "readOnly" BOOLEAN NOT NULL,
    "record" TEXT NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditDigest" (
    "id" BIGSERIAL NOT NULL,
    "chainId" UUID NOT NULL,
    "lastSeq" INTEGER NOT NULL,
    "lastHash" TEXT NOT NULL,
    "prevSignature" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "signingKeyId" UUID NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "AuditDigest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditSigningKey" (
    "id" UUID NOT NULL,
    "wrapped" BYTEA NOT NULL,
    "publicKeyDer" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditSigningKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_eventId_key" ON "AuditEvent"("eventId");

-- CreateIndex
CREATE INDEX "AuditEvent_eventTime_idx" ON "AuditEvent"("eventTime");

-- CreateIndex
CREATE INDEX "AuditEvent_keyId_eventTime_idx" ON "AuditEvent"("keyId", "eventTime");

-- CreateIndex
CREATE INDEX "AuditEvent_principalArn_eventTime_idx" ON "AuditEvent"("principalArn", "eventTime");

-- CreateIndex
CREATE INDEX "AuditEvent_eventName_eventTime_idx" ON "AuditEvent"("eventName", "eventTime");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_chainId_chainSeq_key" ON "AuditEvent"("chainId", "chainSeq");

-- CreateIndex
CREATE INDEX "AuditDigest_chainId_lastSeq_idx" ON "AuditDigest"("chainId", "lastSeq");
