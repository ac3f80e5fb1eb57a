// Every operation of the AWS KMS API answers: implemented ones run the key
// service; the rest say why they are not available.
import { kmsOperations, type KmsOperation } from "@/lib/kms";
import { UnsupportedOperationException } from "@/lib/errors";
import { kmsModel } from "./model";

const WHY: Array<[RegExp, string]> = [
  [/^(ReplicateKey|UpdatePrimaryRegion)$/, "Multi-Region keys are not supported: Keyhold serves a single region."],
  [
    /CustomKeyStore/,
    "Custom key stores (AWS CloudHSM and external key stores) are not supported: Keyhold's own key store (local root key or PKCS#11 HSM) protects every key.",
  ],
  [/^(GetParametersForImport|ImportKeyMaterial|DeleteImportedKeyMaterial)$/, "Importing key material is not available in this version of Keyhold."],
];

function unsupported(name: string): KmsOperation {
  const reason = WHY.find(([re]) => re.test(name))?.[1] ?? `${name} is not available in this version of Keyhold.`;
  return async () => {
    throw new UnsupportedOperationException(reason);
  };
}

/** AWS operation name → implementation, for all 54 operations of the model. */
export const apiOperations: ReadonlyMap<string, KmsOperation> = new Map(
  Object.keys(kmsModel.operations).map((name) => [name, kmsOperations[name] ?? unsupported(name)]),
);

export const implementedOperations = (): string[] => Object.keys(kmsModel.operations).filter((n) => kmsOperations[n]);
