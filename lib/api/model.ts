// The AWS KMS wire model (compacted botocore model, see scripts/compact-kms-model.mjs).
import raw from "./kms-model.json" with { type: "json" };

export interface Shape {
  type: "structure" | "string" | "blob" | "integer" | "long" | "boolean" | "timestamp" | "list" | "map";
  required?: string[];
  members?: Record<string, { shape: string }>;
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  min?: number;
  max?: number;
  enum?: string[];
  exception?: boolean;
}

export interface OperationModel {
  input?: string;
  output?: string;
  errors: string[];
}

export const kmsModel = raw as unknown as {
  metadata: { targetPrefix: string };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
};

export const TARGET_PREFIX = kmsModel.metadata.targetPrefix; // "TrentService"
