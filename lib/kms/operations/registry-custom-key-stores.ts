import type { KmsOperation } from "../operation";
import { connectCustomKeyStore, disconnectCustomKeyStore } from "./custom-key-store-connection";
import { createCustomKeyStore, deleteCustomKeyStore, describeCustomKeyStores, updateCustomKeyStore } from "./custom-key-stores";

// Custom key stores (AWS_CLOUDHSM on a PKCS#11 token).
export const customKeyStoreOperations: Record<string, KmsOperation> = {
  CreateCustomKeyStore: createCustomKeyStore,
  DescribeCustomKeyStores: describeCustomKeyStores,
  UpdateCustomKeyStore: updateCustomKeyStore,
  DeleteCustomKeyStore: deleteCustomKeyStore,
  ConnectCustomKeyStore: connectCustomKeyStore,
  DisconnectCustomKeyStore: disconnectCustomKeyStore,
};
