// Request validation with AWS's ValidationException wording:
// "2 validation errors detected: Value at 'keyId' failed to satisfy
// constraint: Member must have length greater than or equal to 1; …".
// Values are not echoed: they may be plaintext.
import { z } from "zod";
import { ValidationException } from "@/lib/errors";
import { assertSafeText } from "@/lib/errors/text";

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export function validateRequest<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  // Every door (API, console, CLI): no NUL or lone surrogate in any string or key.
  assertSafeText(input);
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === "number" ? `${p + 1}` : lowerFirst(String(p)))).join(".");
    return path ? `Value at '${path}' failed to satisfy constraint: ${issue.message}` : issue.message;
  });
  const n = problems.length;
  throw new ValidationException(`${n} validation error${n === 1 ? "" : "s"} detected: ${problems.join("; ")}`);
}

const required = { error: (iss: { input: unknown }) => (iss.input === undefined ? "Member must not be null" : "Member must be of the right type") };

export const str = (min: number, max: number) =>
  z
    .string(required)
    .min(min, `Member must have length greater than or equal to ${min}`)
    .max(max, `Member must have length less than or equal to ${max}`);

export const keyIdField = str(1, 2048);

export const blob = (min: number, max: number) =>
  z
    .instanceof(Uint8Array, { message: "Member must not be null" })
    .refine((b) => b.length >= min, `Member must have length greater than or equal to ${min}`)
    .refine((b) => b.length <= max, `Member must have length less than or equal to ${max}`)
    .transform((b) => Buffer.from(b.buffer, b.byteOffset, b.length));

export const enumField = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: () => `Member must satisfy enum value set: [${values.join(", ")}]` });

const isStringMap = (v: unknown): v is Record<string, string> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && Object.values(v).every((x) => typeof x === "string");

/**
 * A string→string map (encryption contexts, grant constraints) that keeps every
 * key. zod's record() builds its output with `out[k] = v`, which silently drops
 * a "__proto__" key; Object.fromEntries defines it as an own property.
 */
export const stringMapField = z
  .custom<Record<string, string>>(isStringMap, { error: "Member must be a map of strings to strings" })
  .transform((m) => Object.fromEntries(Object.entries(m)) as Record<string, string>);

export const encryptionContextField = stringMapField.optional();

export const grantTokensField = z
  .array(str(1, 8192))
  .max(10, "Member must have length less than or equal to 10")
  .optional();

export const boolField = z.boolean({ error: "Member must be a boolean" }).optional();

export const intField = (min: number, max: number) =>
  z
    .number({ error: "Member must be a number" })
    .int("Member must be an integer")
    .min(min, `Member must have value greater than or equal to ${min}`)
    .max(max, `Member must have value less than or equal to ${max}`);
