import type { Principal } from "@/lib/auth/principal";

/** Every KMS operation: the caller and the AWS request shape (blobs as Uint8Array) → the AWS response shape. */
export type KmsOperation = (caller: Principal, input: unknown) => Promise<object>;
