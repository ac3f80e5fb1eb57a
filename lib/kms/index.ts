// The key service: every AWS KMS operation Keyhold implements, by AWS name.
import type { KmsOperation } from "./operation";
import { coreOperations } from "./operations/registry-core";
import { cryptoOperations } from "./operations/registry-crypto";
import { customKeyStoreOperations } from "./operations/registry-custom-key-stores";
import { importOperations } from "./operations/registry-import";
import { lifecycleOperations } from "./operations/registry-lifecycle";
import { policyOperations } from "./operations/registry-policy";

export type { KmsOperation } from "./operation";

export const kmsOperations: Readonly<Record<string, KmsOperation>> = {
  ...coreOperations,
  ...lifecycleOperations,
  ...cryptoOperations,
  ...policyOperations,
  ...importOperations,
  ...customKeyStoreOperations,
};
