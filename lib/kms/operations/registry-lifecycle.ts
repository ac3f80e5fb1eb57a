import type { KmsOperation } from "../operation";

// Lifecycle operations: aliases, tags, deletion, rotation.
export const lifecycleOperations: Record<string, KmsOperation> = {};
