-- AlterTable
ALTER TABLE "User" ADD COLUMN     "tags" JSONB NOT NULL DEFAULT '{}';
