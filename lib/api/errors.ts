// Authentication errors, worded as AWS words them (clients show the message).
import { KmsError } from "@/lib/errors";

const define = (name: string, status = 400) =>
  class extends KmsError {
    constructor(message: string) {
      super(name, message, status);
    }
  };

export const MissingAuthenticationTokenException = define("MissingAuthenticationTokenException", 400);
export const IncompleteSignatureException = define("IncompleteSignatureException", 400);
export const InvalidSignatureException = define("InvalidSignatureException", 400);
export const UnrecognizedClientException = define("UnrecognizedClientException", 400);
export const UnknownOperationException = define("UnknownOperationException", 400);
export const RequestEntityTooLargeException = define("RequestEntityTooLargeException", 413);
/** Too many failed authentications from one source (AWS: HTTP 400, "Rate exceeded"). */
export const ThrottlingException = define("ThrottlingException", 400);
