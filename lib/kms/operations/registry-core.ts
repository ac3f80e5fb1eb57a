// Core operations (key lifecycle basics and symmetric encryption).
import type { KmsOperation } from "../operation";
import { createKey } from "./create-key";
import { decrypt } from "./decrypt";
import { describeKey } from "./describe-key";
import { disableKey, enableKey } from "./enable-disable-key";
import { encrypt } from "./encrypt";
import { generateDataKey, generateDataKeyWithoutPlaintext } from "./generate-data-key";
import { listKeys } from "./list-keys";
import { updateKeyDescription } from "./update-key-description";

export const coreOperations: Record<string, KmsOperation> = {
  CreateKey: createKey,
  DescribeKey: describeKey,
  ListKeys: listKeys,
  EnableKey: enableKey,
  DisableKey: disableKey,
  UpdateKeyDescription: updateKeyDescription,
  Encrypt: encrypt,
  Decrypt: decrypt,
  GenerateDataKey: generateDataKey,
  GenerateDataKeyWithoutPlaintext: generateDataKeyWithoutPlaintext,
};
