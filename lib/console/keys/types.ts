// Shapes the console's key views exchange with the server (JSON-safe: dates as ISO strings).
import type { DenialFacts } from "@/lib/kms/denial";

/**
 * Columns the keys list sorts by, server-side. "alias" is the key's first alias
 * (by name, as the list shows it); "rotation" is the next automatic rotation.
 */
export const KEY_LIST_SORTS = ["createdAt", "alias", "id", "description", "keyState", "keySpec", "keyUsage", "rotation"] as const;
export type KeyListSort = (typeof KEY_LIST_SORTS)[number];
export type SortDirection = "asc" | "desc";

/** What a caller may ask the list for; lib/console/keys/list-params.ts validates it. */
export interface KeyListParams {
  q?: string;
  status?: string;
  spec?: string;
  usage?: string;
  /** "key=value" or "key". */
  tag?: string;
  /** "1": only keys the caller may use for their usage (Encrypt/Decrypt, Sign/Verify, GenerateMac/VerifyMac, DeriveSharedSecret). */
  usable?: "1";
  sort?: KeyListSort;
  dir?: SortDirection;
  page?: number;
  pageSize?: number;
}

/** Validated list parameters: every field in bounds, defaults filled in. */
export type KeyListView = KeyListParams & Required<Pick<KeyListParams, "sort" | "dir" | "page" | "pageSize">>;

export interface KeyRow {
  id: string;
  arn: string;
  aliases: string[];
  description: string;
  keyState: string;
  keySpec: string;
  keyUsage: string;
  createdAt: string;
  deletionDate: string | null;
  rotationEnabled: boolean;
  nextRotationDate: string | null;
  /** The caller may list this key but not describe it (key policy): its description is withheld. */
  restricted?: boolean;
}

export interface KeyListPage {
  keys: KeyRow[];
  total: number;
  page: number;
  pageSize: number;
}

export interface KeyDetail extends KeyRow {
  origin: string;
  /** The custom key store (HSM) holding the key; null for keys under Keyhold's root key. */
  keyStore: { id: string; name: string; clusterId: string; connectionState: string } | null;
  accountId: string;
  region: string;
  aliasArns: Record<string, string>;
  tags: Array<{ TagKey: string; TagValue: string }>;
  encryptionAlgorithms: string[];
  signingAlgorithms: string[];
  macAlgorithms: string[];
  keyAgreementAlgorithms: string[];
  pendingWindowInDays: number | null;
  rotationPeriodInDays: number | null;
  onDemandRotations: number;
  onDemandRotationLimit: number;
  currentVersion: number;
  policy: string;
  rotations: Array<{ KeyMaterialId: string; KeyMaterialState: string; RotationDate?: string; RotationType?: string }>;
}

/** A user as the key policy's people pickers offer it: no IDs, no roles. */
export interface PolicyPrincipal {
  username: string;
  arn: string;
}

export interface KeyPrincipal {
  id: string;
  username: string;
  role: string;
  arn: string;
}

export interface KeyDashboard {
  total: number;
  byState: Record<string, number>;
  bySpec: Record<string, number>;
  rotationDue: Array<{ id: string; aliases: string[]; nextRotationDate: string }>;
  pendingDeletion: Array<{ id: string; aliases: string[]; deletionDate: string }>;
}

/** Whether a control's action would be allowed; when not, what decided (the control says why). */
export interface ControlAccess {
  allowed: boolean;
  deniedBy?: DenialFacts;
}
