import type { KeyDetail } from "@/lib/console/keys/types";

/** Runs one key mutation with a success message and an optimistic patch of the key. */
export type Run = (fn: () => Promise<unknown>, message: string, patch?: Partial<KeyDetail>) => Promise<unknown>;
