import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { UnsupportedOperationException, ValidationException } from "@/lib/errors";
import { authorizeAccountAction } from "../authorize";
import { messages } from "@/lib/errors/messages";
import { hsmRandom } from "../custom-key-store/hsm-key";
import { assertConnected, loadStore } from "../custom-key-store/store";
import { intField, str, validateRequest } from "../validate";

const schema = z.object({
  NumberOfBytes: intField(1, 1024).optional(),
  CustomKeyStoreId: str(1, 64).optional(),
  Recipient: z.unknown().optional(),
});

export async function generateRandom(caller: Principal, input: unknown): Promise<{ Plaintext: Buffer }> {
  authorizeAccountAction(caller, "kms:GenerateRandom");
  const req = validateRequest(schema, input);
  // The model leaves NumberOfBytes optional, but AWS documents it as required with no default.
  if (req.NumberOfBytes === undefined) throw new ValidationException(messages.required("NumberOfBytes"));
  if (req.Recipient !== undefined) throw new UnsupportedOperationException(messages.recipientUnsupported);
  if (req.CustomKeyStoreId !== undefined) {
    // From the store's HSM (C_GenerateRandom), which must be connected.
    const store = await loadStore(req.CustomKeyStoreId);
    assertConnected(store);
    return { Plaintext: await hsmRandom(store, req.NumberOfBytes) };
  }
  return { Plaintext: randomBytes(req.NumberOfBytes) };
}
