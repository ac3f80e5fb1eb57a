// The key service's notion of "now": replaceable in tests so deletion and
// rotation schedules can be driven without waiting days.
let override: (() => Date) | undefined;

export function now(): Date {
  return override ? override() : new Date();
}

/** Tests only: fix the clock (pass undefined to restore the real one). */
export function setClock(fn: (() => Date) | undefined): void {
  override = fn;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
