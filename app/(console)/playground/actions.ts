"use server";

import { z } from "zod";
import { runAction } from "@/lib/console/run";
import { ValidationException } from "@/lib/errors";
import { invokeKms } from "@/lib/kms/invoke";

// The playground calls KMS operations as the signed-in user, through the same
// door as every console call: authorized by the service layer and audited.
// Only the operations a key user tries out are reachable from here.
const OPERATIONS = [
  "DescribeKey",
  "Encrypt",
  "Decrypt",
  "ReEncrypt",
  "GenerateDataKey",
  "GenerateDataKeyPair",
  "GenerateRandom",
  "GetPublicKey",
  "Sign",
  "Verify",
  "GenerateMac",
  "VerifyMac",
  "DeriveSharedSecret",
] as const;
export type PlaygroundOperation = (typeof OPERATIONS)[number];

/** Request members that are blobs: base64 in the browser, bytes for the service (as the JSON protocol does). */
const BLOB_MEMBERS = new Set(["Plaintext", "CiphertextBlob", "Message", "Signature", "Mac", "PublicKey"]);

const callSchema = z.object({ operation: z.enum(OPERATIONS), input: z.record(z.string(), z.unknown()) });

function fromWire(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(input).map(([k, v]) => [k, BLOB_MEMBERS.has(k) && typeof v === "string" ? new Uint8Array(Buffer.from(v, "base64")) : v]),
  );
}

/** Bytes back to base64, dates to ISO strings, the rest as it is. */
function toWire(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.length).toString("base64");
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(toWire);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toWire(x)]));
  return v;
}

/** One KMS operation, its blobs in base64 both ways. Plaintext results come back to the browser: this is a demo. */
export async function playgroundCall(operation: PlaygroundOperation, input: Record<string, unknown>) {
  return runAction(async (caller) => {
    const parsed = callSchema.safeParse({ operation, input });
    if (!parsed.success) throw new ValidationException("The playground sends one of its own operations with an object of request members.");
    const out = await invokeKms(parsed.data.operation, caller, fromWire(parsed.data.input), { source: "console" });
    return toWire(out) as Record<string, unknown>;
  });
}
