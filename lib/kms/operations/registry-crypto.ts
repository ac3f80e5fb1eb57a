import type { KmsOperation } from "../operation";

// Cryptographic operations beyond Encrypt/Decrypt/GenerateDataKey.
export const cryptoOperations: Record<string, KmsOperation> = {};
