// Request validation with AWS's ValidationException wording (the API model's
// constraints, as AWS's service framework reports them):
// "2 validation errors detected: Value '1025' at 'numberOfBytes' failed to
// satisfy constraint: Member must have value less than or equal to 1024; …".
// Members are named in lower camel case, list items as 'tags.1.member.tagKey';
// values are quoted, except blobs (plaintext, ciphertext), which are never
// echoed. A missing required member is "<Member> is required.". Every text
// comes from lib/errors/messages.ts.
import { z } from "zod";
import { ValidationException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import { assertSafeText } from "@/lib/errors/text";

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** AWS's member path: lower camel case, list items as "<list>.<n>.member" (1-based). */
function memberPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `${p + 1}.member` : lowerFirst(String(p)))).join(".");
}

/** A value as AWS's (Java) framework prints it inside quotes; blobs are not printed. */
function printed(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(printed).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value).map(([k, v]) => `${k}=${printed(v)}`).join(", ")}}`;
  }
  return String(value);
}

/** The quoted value for a violation, or undefined for a blob (never echoed: it may be plaintext). */
export function quotedValue(value: unknown): string | undefined {
  if (value instanceof Uint8Array) return undefined;
  if (value === null || value === undefined) return "null";
  return `'${printed(value)}'`;
}

type Issue = { code: string; path: PropertyKey[]; message: string; input?: unknown; params?: { blob?: boolean } };

export function validateRequest<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  // Every door (API, console, CLI): no NUL or lone surrogate in any string or key.
  assertSafeText(input);
  const result = schema.safeParse(input ?? {}, { reportInput: true });
  if (result.success) return result.data;
  const issues = result.error.issues as Issue[];
  // A required member that is absent is reported on its own, as AWS does.
  // (Optional members never raise an issue when absent, so an absent input means a required one.)
  const missing = issues.find((i) => i.input === undefined && i.path.some((p) => typeof p === "string"));
  if (missing) {
    const names = missing.path.filter((p) => typeof p === "string");
    throw new ValidationException(messages.required(String(names[names.length - 1])));
  }
  const problems = issues.map((issue) =>
    issue.path.length ? messages.constraintViolation(memberPath(issue.path), issue.params?.blob ? undefined : quotedValue(issue.input), issue.message) : issue.message,
  );
  throw new ValidationException(messages.validationErrors(problems));
}

const required = { error: (iss: { input: unknown }) => (iss.input === undefined ? messages.notNull : "Member must be of the right type") };

export const str = (min: number, max: number) =>
  z
    .string(required)
    .min(min, messages.lengthAtLeast(min))
    .max(max, messages.lengthAtMost(max));

export const keyIdField = str(1, 2048);

/** Marks a blob's issues: its value is never printed, whatever was sent. */
const BLOB = { blob: true };

export const blob = (min: number, max: number) =>
  z
    .custom<Uint8Array>((v) => v instanceof Uint8Array, { message: messages.notNull, params: BLOB })
    .refine((b) => b.length >= min, { message: messages.lengthAtLeast(min), params: BLOB })
    .refine((b) => b.length <= max, { message: messages.lengthAtMost(max), params: BLOB })
    .transform((b) => Buffer.from(b.buffer, b.byteOffset, b.length));

export const enumField = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: () => messages.enumValues(values) });

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
  .max(10, messages.lengthAtMost(10))
  .optional();

export const boolField = z.boolean({ error: "Member must be a boolean" }).optional();

export const intField = (min: number, max: number) =>
  z
    .number({ error: "Member must be a number" })
    .int("Member must be an integer")
    .min(min, messages.valueAtLeast(min))
    .max(max, messages.valueAtMost(max));
