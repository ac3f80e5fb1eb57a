// The AWS value sets Keyhold's validation names are the API model's, in its order.
import { describe, expect, it } from "vitest";
import { kmsModel } from "@/lib/api/model";
import * as sets from "@/lib/kms/aws-enums";

const shapes: Record<keyof typeof sets, string> = {
  ENCRYPTION_ALGORITHM_SPEC: "EncryptionAlgorithmSpec",
  KEY_SPEC: "KeySpec",
  CUSTOMER_MASTER_KEY_SPEC: "CustomerMasterKeySpec",
  KEY_USAGE_TYPE: "KeyUsageType",
  ORIGIN_TYPE: "OriginType",
};

describe("AWS enum value sets", () => {
  it.each(Object.entries(shapes))("%s is the model's %s", (name, shape) => {
    expect([...sets[name as keyof typeof sets]]).toEqual(kmsModel.shapes[shape]!.enum);
  });
});
