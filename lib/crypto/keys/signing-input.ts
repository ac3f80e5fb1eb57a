// Shared argument checks for Sign/Verify, so every key type enforces the same AWS rules.
import { CryptoError } from "../errors";
import {
  algorithmsFor,
  digestLengthFor,
  MAX_RAW_MESSAGE_BYTES,
  messageTypesFor,
  type KeySpec,
  type MessageType,
  type SigningAlgorithm,
} from "../specs";

export function checkSigningInput(
  spec: KeySpec,
  algorithm: SigningAlgorithm,
  message: Uint8Array,
  messageType: MessageType,
): void {
  if (!algorithmsFor(spec, "SIGN_VERIFY").includes(algorithm)) {
    throw new CryptoError("IncompatibleAlgorithm", `${algorithm} is not valid for ${spec}`);
  }
  if (!messageTypesFor(algorithm).includes(messageType)) {
    throw new CryptoError("InvalidInput", `MessageType ${messageType} is not valid for ${algorithm}`);
  }
  if (!(message instanceof Uint8Array)) throw new CryptoError("InvalidInput", "message must be bytes");
  if (messageType === "RAW") {
    if (message.length > MAX_RAW_MESSAGE_BYTES) {
      throw new CryptoError("InvalidInput", `RAW messages are limited to ${MAX_RAW_MESSAGE_BYTES} bytes`);
    }
    return;
  }
  const want = digestLengthFor(algorithm, messageType);
  if (message.length !== want) {
    throw new CryptoError("InvalidInput", `${messageType} message for ${algorithm} must be ${want} bytes`);
  }
}
