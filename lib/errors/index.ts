// Typed errors named after AWS exceptions. The API maps `name` to `__type`;
// the console shows `message`. `status` is the HTTP status either door uses.
import { isDependencyFailure } from "./dependency";
import { messages } from "./messages";

export class KmsError extends Error {
  readonly status: number;
  constructor(name: string, message: string, status = 400) {
    super(message);
    this.name = name;
    this.status = status;
  }
}

const define = (name: string, status = 400) =>
  class extends KmsError {
    constructor(message: string) {
      super(name, message, status);
    }
  };

export const AccessDeniedException = define("AccessDeniedException", 403);
export const ValidationException = define("ValidationException");
export const NotFoundException = define("NotFoundException", 404);
export const AlreadyExistsException = define("AlreadyExistsException", 409);
export const LimitExceededException = define("LimitExceededException");
export const InvalidArnException = define("InvalidArnException");
export const DisabledException = define("DisabledException");
export const KMSInvalidStateException = define("KMSInvalidStateException");
export const InvalidKeyUsageException = define("InvalidKeyUsageException");
export const InvalidCiphertextException = define("InvalidCiphertextException");
export const IncorrectKeyException = define("IncorrectKeyException");
export const KMSInvalidSignatureException = define("KMSInvalidSignatureException");
export const KMSInvalidMacException = define("KMSInvalidMacException");
export const UnsupportedOperationException = define("UnsupportedOperationException");
export const TagException = define("TagException");
export const InvalidMarkerException = define("InvalidMarkerException");
export const DependencyTimeoutException = define("DependencyTimeoutException", 503);
/** Internal faults: never carries internal details to the caller. */
export const KMSInternalException = define("KMSInternalException", 500);
/** Console/session errors that have no AWS counterpart. */
export const UnauthenticatedException = define("UnauthenticatedException", 401);

export function isKmsError(e: unknown): e is KmsError {
  return e instanceof KmsError;
}

export { isDependencyFailure };

/**
 * The error a caller sees for any failure: typed errors as they are, the
 * database being away or too slow as AWS's retryable
 * DependencyTimeoutException, anything else as `internal` (never its details).
 */
export function asKmsError(e: unknown, internal: () => KmsError): KmsError {
  if (isKmsError(e)) return e;
  if (isDependencyFailure(e)) return new DependencyTimeoutException(DEPENDENCY_TIMEOUT_MESSAGE);
  return internal();
}

export const DEPENDENCY_TIMEOUT_MESSAGE = "The system timed out while trying to fulfill the request: the database did not answer in time. You can retry the request.";

export const DryRunOperationException = define("DryRunOperationException");
export const MalformedPolicyDocumentException = define("MalformedPolicyDocumentException");
export const InvalidGrantTokenException = define("InvalidGrantTokenException");
export const InvalidAliasNameException = define("InvalidAliasNameException");
export const KeyUnavailableException = define("KeyUnavailableException", 500);
export const InvalidGrantIdException = define("InvalidGrantIdException");
export const InvalidImportTokenException = define("InvalidImportTokenException");
export const ExpiredImportTokenException = define("ExpiredImportTokenException");
export const IncorrectKeyMaterialException = define("IncorrectKeyMaterialException");

/** AWS answers a successful DryRun with this exception. */
export function dryRunSucceeded(): never {
  throw new DryRunOperationException(messages.dryRunSucceeded);
}
