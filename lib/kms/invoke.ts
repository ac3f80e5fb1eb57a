// The one way every door (API, console, CLI) calls a KMS operation by name.
// This is where each call is audited (lib/audit) before its answer returns.
import type { Principal } from "@/lib/auth/principal";
import { UnsupportedOperationException } from "@/lib/errors";
import { kmsOperations } from "./index";

export interface InvocationMeta {
  /** Which door: "api" | "console" | "cli". */
  source: "api" | "console" | "cli";
  requestId?: string;
  accessKeyId?: string;
}

export async function invokeKms(operation: string, caller: Principal, input: unknown, _meta: InvocationMeta): Promise<object> {
  const implementation = kmsOperations[operation];
  if (!implementation) throw new UnsupportedOperationException(`${operation} is not available in this version of Keyhold.`);
  return implementation(caller, input);
}
