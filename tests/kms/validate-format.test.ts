// The validation texts of lib/kms/validate.ts, as AWS words them.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { blob, enumField, grantTokensField, intField, keyIdField, str, validateRequest } from "@/lib/kms/validate";

const schema = z.object({
  KeyId: keyIdField,
  Plaintext: blob(1, 4096).optional(),
  NumberOfBytes: intField(1, 1024).optional(),
  Algorithm: enumField(["A", "B"] as const).optional(),
  GrantTokens: grantTokensField,
  Tags: z.array(z.object({ TagKey: str(1, 128) })).optional(),
});

const messageOf = (input: unknown): string => {
  try {
    validateRequest(schema, input);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a ValidationException");
};

describe("validateRequest wording", () => {
  it("names a missing required member", () => {
    expect(messageOf({})).toBe("KeyId is required.");
    const required = z.object({ Plaintext: blob(1, 10), Algorithm: enumField(["A"] as const) });
    expect(() => validateRequest(required, { Algorithm: "A" })).toThrow(/^Plaintext is required\.$/);
    expect(() => validateRequest(required, { Plaintext: new Uint8Array(1) })).toThrow(/^Algorithm is required\.$/);
  });

  it("quotes values, never blobs, and counts violations", () => {
    expect(messageOf({ KeyId: "k", NumberOfBytes: 1025 })).toBe(
      "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
    );
    expect(messageOf({ KeyId: "", Plaintext: new Uint8Array(4097), Algorithm: "C" })).toBe(
      "3 validation errors detected: Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096; " +
        "Value 'C' at 'algorithm' failed to satisfy constraint: Member must satisfy enum value set: [A, B]",
    );
  });

  it("never prints a blob's value, whatever type was sent", () => {
    const message = messageOf({ KeyId: "k", Plaintext: "c2VjcmV0LXZhbHVl" });
    expect(message).toBe("1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must not be null");
  });

  it("names list items as AWS does", () => {
    expect(messageOf({ KeyId: "k", Tags: [{ TagKey: "ok" }, { TagKey: "" }] })).toBe(
      "1 validation error detected: Value '' at 'tags.2.member.tagKey' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    expect(messageOf({ KeyId: "k", GrantTokens: Array.from({ length: 11 }, (_, i) => `t${i}`) })).toBe(
      "1 validation error detected: Value '[t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10]' at 'grantTokens' failed to satisfy constraint: Member must have length less than or equal to 10",
    );
  });
});
