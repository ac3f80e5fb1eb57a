// Imported key material (bring your own key) and key usage tracking.
import type { KmsOperation } from "../operation";
import { deleteImportedKeyMaterial } from "./delete-imported-key-material";
import { getKeyLastUsage } from "./get-key-last-usage";
import { getParametersForImport } from "./get-parameters-for-import";
import { importKeyMaterial } from "./import-key-material";

export const importOperations: Record<string, KmsOperation> = {
  GetParametersForImport: getParametersForImport,
  ImportKeyMaterial: importKeyMaterial,
  DeleteImportedKeyMaterial: deleteImportedKeyMaterial,
  GetKeyLastUsage: getKeyLastUsage,
};
