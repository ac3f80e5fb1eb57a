// AWS KeyMetadata for a key row.
import { describeAlgorithms, type KeySpec, type KeyUsage } from "@/lib/crypto";
import type { KmsKey } from "@/lib/db/client";
import type { KmsContext } from "./context";

export interface KeyMetadata {
  AWSAccountId: string;
  KeyId: string;
  Arn: string;
  CreationDate: Date;
  Enabled: boolean;
  Description: string;
  KeyUsage: string;
  KeyState: string;
  DeletionDate?: Date;
  PendingDeletionWindowInDays?: number;
  Origin: string;
  KeyManager: "CUSTOMER";
  CustomerMasterKeySpec: string;
  KeySpec: string;
  EncryptionAlgorithms?: string[];
  SigningAlgorithms?: string[];
  MacAlgorithms?: string[];
  KeyAgreementAlgorithms?: string[];
  MultiRegion: false;
  CurrentKeyMaterialId?: string;
  /** Origin EXTERNAL keys with imported material. */
  ExpirationModel?: string;
  ValidTo?: Date;
  /** Keys in a custom key store. */
  CustomKeyStoreId?: string;
  CloudHsmClusterId?: string;
}

/** A stable, non-secret identifier of a key material version (AWS returns a 64-hex ID). */
export function keyMaterialId(keyId: string, version: number): string {
  return `${keyId.replace(/-/g, "")}${version.toString(16).padStart(32, "0")}`;
}

/** The custom key store of a key, when the caller has it at hand (DescribeKey, CreateKey). */
export interface KeyStoreFacts {
  clusterId: string;
  connectionState: string;
}

export function keyMetadata(ctx: KmsContext, key: KmsKey, store?: KeyStoreFacts | null): KeyMetadata {
  // As AWS: a key whose custom key store is not connected is Unavailable.
  const unavailable = store && store.connectionState !== "CONNECTED" && key.keyState === "Enabled";
  return {
    AWSAccountId: ctx.account,
    KeyId: key.id,
    Arn: ctx.keyArn(key.id),
    CreationDate: key.createdAt,
    Enabled: key.keyState === "Enabled",
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: unavailable ? "Unavailable" : key.keyState,
    ...(key.deletionDate ? { DeletionDate: key.deletionDate } : {}),
    ...(key.pendingWindowInDays ? { PendingDeletionWindowInDays: key.pendingWindowInDays } : {}),
    Origin: key.origin,
    KeyManager: "CUSTOMER",
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    ...describeAlgorithms(key.keySpec as KeySpec, key.keyUsage as KeyUsage),
    MultiRegion: false,
    ...(key.keySpec === "SYMMETRIC_DEFAULT" && key.keyState !== "PendingImport"
      ? { CurrentKeyMaterialId: keyMaterialId(key.id, key.currentVersion) }
      : {}),
    ...(key.origin === "EXTERNAL" && key.expirationModel ? { ExpirationModel: key.expirationModel } : {}),
    ...(key.origin === "EXTERNAL" && key.materialValidTo ? { ValidTo: key.materialValidTo } : {}),
    ...(key.customKeyStoreId ? { CustomKeyStoreId: key.customKeyStoreId } : {}),
    ...(key.customKeyStoreId && store ? { CloudHsmClusterId: store.clusterId } : {}),
  };
}
