// A small PKCS#11 layer for custom key stores: the library (module.ts), tokens
// by label (token.ts), a logged-in session pool per token (session-pool.ts),
// the store connections of this process (connections.ts), AES keys inside the
// token (aes-keys.ts), every call bounded in time (timeout.ts).
export { connectToken, disconnectAllTokens, disconnectToken, tokenState, withTokenSession, type TokenCredentials } from "./connections";
export { destroyAesKey, gcmOpen, gcmSeal, generateAesKey, tokenRandom } from "./aes-keys";
export { connectionErrorOf, describeHsmError, HsmError, isBadCiphertext, type HsmConnectionError } from "./errors";
export { HsmTimeout } from "./timeout";
export { hsmSettings } from "./settings";
