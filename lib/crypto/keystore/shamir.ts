// The Shamir-sealed root key store (Vault-style): the root key exists only in this process's memory,
// after M of N custodians have entered their shares; before that every wrap/unwrap answers the sealed
// error. Entered shares are held in memory only, and wiped once combined, refused or timed out.
import { createSecretKey, type KeyObject } from "node:crypto";
import { DependencyTimeoutException, ValidationException, type KmsError } from "@/lib/errors";
import type { ShamirCustody } from "./custody-record";
import { LocalKeyStore } from "./local";
import { combineShares, parseShare, splitRootKey, verifiesAs } from "./shamir-shares";
import type { KeyStore, KeyStoreDescription } from "./types";

export interface UnsealProgress {
  sealed: boolean;
  entered: number;
  threshold: number;
  custodians: number;
}

/** Entered shares are dropped when the unseal does not complete within this time. */
export const DEFAULT_UNSEAL_TIMEOUT_MS = 10 * 60_000;

export class ShamirKeyStore implements KeyStore {
  readonly kind = "shamir";
  #custody: ShamirCustody;
  #key: KeyObject | undefined;
  #inner: LocalKeyStore | undefined;
  readonly #entered = new Map<number, Buffer>(); // x coordinate → share
  #timer: NodeJS.Timeout | undefined;
  readonly #timeoutMs: number;
  /** Called with the new custody after a rekey, to record it (the data folder) before shares are shown. */
  readonly #onRekey: (custody: ShamirCustody) => void;

  constructor(custody: ShamirCustody, options: { unsealTimeoutMs?: number; onRekey?: (custody: ShamirCustody) => void } = {}) {
    this.#custody = custody;
    this.#timeoutMs = options.unsealTimeoutMs ?? DEFAULT_UNSEAL_TIMEOUT_MS;
    this.#onRekey = options.onRekey ?? (() => {});
  }

  get sealed(): boolean {
    return this.#inner === undefined;
  }

  progress(): UnsealProgress {
    const { threshold, custodians } = this.#custody;
    return { sealed: this.sealed, entered: this.#entered.size, threshold, custodians };
  }

  #sealedError(): KmsError {
    return new DependencyTimeoutException(
      `Keyhold is sealed: ${this.#entered.size} of ${this.#custody.threshold} unseal shares entered. ` +
        "Custodians unseal it with `keyhold unseal` or on the console's Unseal page; retry the request later.",
    );
  }

  async wrap(material: Buffer, aad: Buffer): Promise<Buffer> {
    if (!this.#inner) throw this.#sealedError();
    return this.#inner.wrap(material, aad);
  }

  async unwrap(blob: Buffer, aad: Buffer): Promise<Buffer> {
    if (!this.#inner) throw this.#sealedError();
    return this.#inner.unwrap(blob, aad);
  }

  /** Takes one custodian's share; unseals when the threshold is reached. Refusals change nothing else. */
  async submitShare(text: string): Promise<UnsealProgress> {
    if (!this.sealed) throw new ValidationException("Keyhold is already unsealed.");
    const parsed = typeof text === "string" ? parseShare(text) : undefined;
    if (!parsed) throw new ValidationException("That is not a Keyhold unseal share (it should start with khs1-); check for a missing or mistyped character.");
    const { fingerprint, generation, threshold } = this.#custody;
    if (parsed.fingerprint !== fingerprint) {
      parsed.share.fill(0);
      throw new ValidationException(`That share belongs to another root key (${parsed.fingerprint}); this Keyhold's root key is ${fingerprint}.`);
    }
    if (parsed.generation !== generation) {
      parsed.share.fill(0);
      throw new ValidationException("That share is from an earlier split of this root key, replaced by a rekey; use the current shares.");
    }
    const x = parsed.share[parsed.share.length - 1];
    if (this.#entered.has(x)) {
      parsed.share.fill(0);
      throw new ValidationException(`That share was already entered (${this.#entered.size} of ${threshold} entered); the next custodian's share is needed.`);
    }
    this.#entered.set(x, parsed.share);
    this.#armTimeout();
    if (this.#entered.size < threshold) return this.progress();
    const key = await combineShares([...this.#entered.values()]);
    this.#wipeEntered();
    try {
      if (!verifiesAs(key, this.#custody.verifier)) {
        throw new ValidationException("The entered shares do not recombine to this Keyhold's root key (one of them is wrong); Keyhold stays sealed and the entered shares were discarded: enter them again.");
      }
      this.#open(key);
    } finally {
      key.fill(0);
    }
    return this.progress();
  }

  /** Unseals with the root key itself (at init and migration, where the key was just made here). */
  openWith(rootKey: Uint8Array): void {
    if (!verifiesAs(rootKey, this.#custody.verifier)) throw new Error("root key does not match the recorded verifier");
    this.#open(rootKey);
  }

  #open(rootKey: Uint8Array): void {
    this.#key = createSecretKey(rootKey);
    this.#inner = new LocalKeyStore(rootKey, { source: "env" });
  }

  /** Seal now: forget the root key (the caller also drops material caches). */
  seal(): void {
    this.#key = undefined;
    this.#inner = undefined;
    this.#wipeEntered();
  }

  /** Drops shares entered so far without unsealing. */
  resetProgress(): void {
    this.#wipeEntered();
  }

  /** New shares for the same root key (unsealed only); the old split's shares stop working. */
  async rekey(custodians: number, threshold: number): Promise<{ shares: string[]; custody: ShamirCustody }> {
    if (!this.#key) throw this.#sealedError();
    const key = this.#key.export();
    try {
      const { custody, shares } = await splitRootKey(key, custodians, threshold);
      this.#onRekey(custody);
      this.#custody = custody;
      return { custody, shares };
    } finally {
      key.fill(0);
    }
  }

  #armTimeout(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#wipeEntered(), this.#timeoutMs);
    this.#timer.unref();
  }

  #wipeEntered(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const s of this.#entered.values()) s.fill(0);
    this.#entered.clear();
  }

  describe(): KeyStoreDescription {
    const { threshold, custodians, fingerprint } = this.#custody;
    return { kind: "shamir", sealed: this.sealed, threshold, custodians, entered: this.#entered.size, fingerprint };
  }
}
