// A small PKCS#11 layer for custom key stores: a worker process per token
// (module.ts, lib/crypto/pkcs11/), a logged-in session pool per store (session-pool.ts),
// the store connections of this process (connections.ts), AES keys inside the
// token (aes-keys.ts), every call bounded in time (timeout.ts).
export { connectToken, disconnectAllTokens, disconnectToken, tokenState, withTokenSession, type TokenCredentials } from "./connections";
export { destroyAesKey, gcmOpen, gcmSeal, generateAesKey, tokenRandom } from "./aes-keys";
export { connectionErrorOf, describeHsmError, isBadCiphertext, type HsmConnectionError } from "./errors";
export { HsmTimeout, isHsmTimeout } from "./timeout";
export { hsmSettings } from "./settings";
