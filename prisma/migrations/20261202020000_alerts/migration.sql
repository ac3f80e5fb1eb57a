-- Alerts (lib/alerts): notification rules, their pending counts, the delivery outbox and its log, the dispatcher's cursor.
-- CreateTable
CREATE TABLE "NotificationRule" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "eventNames" TEXT[],
    "keyRef" TEXT,
    "principalArn" TEXT,
    "outcome" TEXT NOT NULL DEFAULT 'any',
    "tagKey" TEXT,
    "tagValue" TEXT,
    "minCount" INTEGER NOT NULL DEFAULT 1,
    "windowSeconds" INTEGER NOT NULL DEFAULT 300,
    "format" TEXT NOT NULL DEFAULT 'keyhold',
    "url" TEXT NOT NULL,
    "secretWrapped" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NotificationRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertMatch" (
    "ruleId" UUID NOT NULL,
    "eventId" BIGINT NOT NULL,
    "eventTime" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertMatch_pkey" PRIMARY KEY ("ruleId","eventId")
);

-- CreateTable
CREATE TABLE "AlertDelivery" (
    "id" BIGSERIAL NOT NULL,
    "ruleId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "AlertDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertAttempt" (
    "id" BIGSERIAL NOT NULL,
    "deliveryId" BIGINT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "httpStatus" INTEGER,
    "error" TEXT,

    CONSTRAINT "AlertAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertCursor" (
    "id" INTEGER NOT NULL,
    "lastEventId" BIGINT NOT NULL,

    CONSTRAINT "AlertCursor_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "NotificationRule_name_key" ON "NotificationRule"("name");

-- CreateIndex
CREATE INDEX "AlertDelivery_status_nextAttemptAt_idx" ON "AlertDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "AlertDelivery_ruleId_createdAt_idx" ON "AlertDelivery"("ruleId", "createdAt");

-- CreateIndex
CREATE INDEX "AlertAttempt_deliveryId_idx" ON "AlertAttempt"("deliveryId");

-- AddForeignKey
ALTER TABLE "AlertMatch" ADD CONSTRAINT "AlertMatch_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "NotificationRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertDelivery" ADD CONSTRAINT "AlertDelivery_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "NotificationRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertAttempt" ADD CONSTRAINT "AlertAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "AlertDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

