// Which AWS KMS operations the wire knows (all 54 of the model).
import { kmsOperations } from "@/lib/kms";
import { kmsModel } from "./model";

export const isKnownOperation = (name: string): boolean => Object.hasOwn(kmsModel.operations, name);

export const implementedOperations = (): string[] => Object.keys(kmsModel.operations).filter((n) => kmsOperations[n]);
