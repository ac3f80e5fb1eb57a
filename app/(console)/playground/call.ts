"use client";

import { useState } from "react";
import type { ActionFailure } from "@/lib/console/result";
import { playgroundCall, type PlaygroundOperation } from "./actions";

/** A refused or failed call, as the service answered it. */
export class CallFailure extends Error {
  constructor(readonly failure: ActionFailure) {
    super(`${failure.name}: ${failure.message}`);
  }
}

/** One KMS operation as the signed-in user; its answer, or a CallFailure. */
export async function kms<T extends Record<string, unknown>>(operation: PlaygroundOperation, input: Record<string, unknown>): Promise<T> {
  const r = await playgroundCall(operation, input);
  if (!r.ok) throw new CallFailure(r.error);
  return r.data as T;
}

/**
 * Runs one button's steps: which button is busy, and the failure to show
 * (a service refusal as it came, or the browser's own error, e.g. Web Crypto).
 */
export function useSteps() {
  const [busy, setBusy] = useState("");
  const [failure, setFailure] = useState<ActionFailure | null>(null);
  async function run(label: string, steps: () => Promise<void>) {
    setBusy(label);
    setFailure(null);
    try {
      await steps();
    } catch (e) {
      setFailure(e instanceof CallFailure ? e.failure : { name: (e as Error).name || "Error", message: (e as Error).message });
    } finally {
      setBusy("");
    }
  }
  return { busy, failure, run, clear: () => setFailure(null) };
}

/** A call expected to be refused (a tampered input): the refusal's text, or a note that it unexpectedly succeeded. */
export async function refusalOf(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return "Unexpectedly succeeded";
  } catch (e) {
    if (e instanceof CallFailure) return `${e.failure.name}: ${e.failure.message}`;
    throw e;
  }
}
