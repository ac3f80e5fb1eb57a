// "An access key or its user changed", within one process: API credential
// caches and open console pages subscribe. Below lib/accounts (which says
// so) and lib/kms/key-notifications (which relays it from other instances).
// On globalThis: the console (Next's bundle) and the API (the server's own
// modules) load this separately but must share the listeners.
const g = globalThis as unknown as { keyholdAccessKeyListeners?: Set<(accessKeyId?: string) => void> };
const listeners = (g.keyholdAccessKeyListeners ??= new Set());

/** Calls `fn` with the changed key's id, or undefined for "any key" (a user or role changed). Returns unsubscribe. */
export function onAccessKeyChange(fn: (accessKeyId?: string) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function runAccessKeyListeners(accessKeyId?: string): void {
  for (const fn of listeners) fn(accessKeyId);
}
