// Which fields of a held call are secret, and how a held input is stored. A
// request keeps its input in the database until it runs, so the secret
// fields (an HSM PIN, an import token and wrapped material, a chosen
// password) are split off and sealed (lib/crypto/keystore/approval-secret.ts);
// the rest is JSON with byte strings and dates tagged, so the call that runs
// on approval gets exactly the input the requester sent. The same goes for a
// secret the executed change produces: it is kept sealed for the requester.
import type { Prisma } from "@/lib/db/client";

const SECRET_INPUT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  ImportKeyMaterial: ["ImportToken", "EncryptedKeyMaterial"],
  CreateCustomKeyStore: ["KeyStorePassword"],
  UpdateCustomKeyStore: ["KeyStorePassword"],
  ResetUserPassword: ["password"],
  CreateAdministrator: ["password"],
};

const SECRET_RESULT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  ResetUserPassword: ["generatedPassword"],
  CreateAccessKey: ["SecretAccessKey"],
  CreateAdministrator: ["generatedPassword"],
};

export const HIDDEN = "(hidden)";

type Json = Prisma.InputJsonValue;

/** Byte strings as {$bytes: base64}, dates as {$date: ISO}; undefined dropped. */
export function encodeHeld(value: unknown): Json {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString("base64") };
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map(encodeHeld);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, encodeHeld(v)]));
  }
  return (value ?? null) as Json;
}

export function decodeHeld(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeHeld);
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && typeof o.$bytes === "string") return new Uint8Array(Buffer.from(o.$bytes, "base64"));
    if (keys.length === 1 && typeof o.$date === "string") return new Date(o.$date);
    return Object.fromEntries(keys.map((k) => [k, decodeHeld(o[k])]));
  }
  return value;
}

function split(fields: readonly string[] | undefined, value: unknown): { open: unknown; secret: Record<string, unknown> | null } {
  if (!fields || !value || typeof value !== "object" || Array.isArray(value)) return { open: value, secret: null };
  const open: Record<string, unknown> = {};
  const secret: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    (fields.includes(k) ? secret : open)[k] = v;
  }
  return { open, secret: Object.keys(secret).length ? secret : null };
}

/** The input to store as JSON, and its secret fields (encoded) to seal, if any. */
export function splitHeldInput(operation: string, input: unknown): { input: Json; secret: Json | null } {
  const { open, secret } = split(SECRET_INPUT_FIELDS[operation], input);
  return { input: encodeHeld(open), secret: secret && encodeHeld(secret) };
}

/** The original input again, from the stored JSON and the opened secret fields. */
export function joinHeldInput(stored: unknown, secret: unknown): unknown {
  const open = decodeHeld(stored);
  if (!secret) return open;
  return { ...(open as Record<string, unknown>), ...(decodeHeld(secret) as Record<string, unknown>) };
}

/** For the approvers' summary: each secret field the input carries, shown only as "(hidden)". */
export function hiddenFields(operation: string, input: unknown): Record<string, string> {
  const { secret } = split(SECRET_INPUT_FIELDS[operation], input);
  return Object.fromEntries(Object.keys(secret ?? {}).map((k) => [k, HIDDEN]));
}

/** An execution's response without its secret fields, and those fields (to seal for the requester). */
export function splitResult(operation: string, response: unknown): { response: unknown; secret: Record<string, unknown> | null } {
  const { open, secret } = split(SECRET_RESULT_FIELDS[operation], response);
  return { response: open, secret };
}
