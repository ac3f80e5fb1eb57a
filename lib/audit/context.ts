// Per-call facts the audit record needs but only the operation learns (which
// key a request resolved to, which material version it used), carried with
// the call's context (lib/context) so operations just report them.
import { contextSlot } from "@/lib/context/call-context";

export interface CallFacts {
  keyArns: string[];
  keyMaterialId?: string;
}

const storage = contextSlot<CallFacts>("audit call facts");

export function withCallFacts<T>(fn: () => Promise<T>): { facts: CallFacts; result: Promise<T> } {
  const facts: CallFacts = { keyArns: [] };
  return { facts, result: storage.run(facts, fn) };
}

/** Called by the key service when a request resolves to a key. */
export function noteKey(arn: string, keyMaterialId?: string): void {
  const facts = storage.getStore();
  if (!facts) return;
  if (!facts.keyArns.includes(arn)) facts.keyArns.push(arn);
  if (keyMaterialId) facts.keyMaterialId = keyMaterialId;
}

/** Called by the key service with the material version a call used. */
export function noteKeyMaterial(keyMaterialId: string): void {
  const facts = storage.getStore();
  if (facts) facts.keyMaterialId = keyMaterialId;
}

/** The facts of the call in progress (for the key service's own bookkeeping). */
export function currentCallFacts(): CallFacts | undefined {
  return storage.getStore();
}
