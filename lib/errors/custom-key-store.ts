// AWS's exceptions for custom key stores (CloudHSM key stores).
import { KmsError } from "./index";

const define = (name: string, status = 400) =>
  class extends KmsError {
    constructor(message: string) {
      super(name, message, status);
    }
  };

export const CustomKeyStoreNotFoundException = define("CustomKeyStoreNotFoundException");
export const CustomKeyStoreInvalidStateException = define("CustomKeyStoreInvalidStateException");
export const CustomKeyStoreNameInUseException = define("CustomKeyStoreNameInUseException");
export const CustomKeyStoreHasCMKsException = define("CustomKeyStoreHasCMKsException");
export const CloudHsmClusterNotFoundException = define("CloudHsmClusterNotFoundException");
export const CloudHsmClusterInUseException = define("CloudHsmClusterInUseException");
export const CloudHsmClusterNotActiveException = define("CloudHsmClusterNotActiveException");
export const CloudHsmClusterInvalidConfigurationException = define("CloudHsmClusterInvalidConfigurationException");
export const CloudHsmClusterNotRelatedException = define("CloudHsmClusterNotRelatedException");
export const IncorrectTrustAnchorException = define("IncorrectTrustAnchorException");
