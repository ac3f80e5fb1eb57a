// The console's one date format: "02 Dec 2026, 14:05:09 GMT+1", in the
// browser's time zone or in UTC (a preference kept in localStorage), always
// with the zone shown. Exports and APIs keep ISO 8601; this is display only.

const STORAGE_KEY = "keyhold.utc";
const listeners = new Set<() => void>();
let utc: boolean | undefined;

/** Whether dates show in UTC (false on the server, where there is no preference). */
export function prefersUtc(): boolean {
  if (utc === undefined) {
    if (typeof window === "undefined") return false;
    try {
      utc = window.localStorage.getItem(STORAGE_KEY) === "true";
    } catch {
      utc = false;
    }
  }
  return utc;
}

export function setPrefersUtc(value: boolean): void {
  utc = value;
  try {
    window.localStorage.setItem(STORAGE_KEY, String(value));
  } catch {
    // private mode: the choice lasts for this page only
  }
  for (const l of listeners) l();
}

/** For useSyncExternalStore: re-render dates when the preference changes (also from another tab). */
export function subscribeUtc(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => {
    if (e.key !== STORAGE_KEY) return;
    utc = e.newValue === "true";
    listener();
  };
  if (typeof window !== "undefined") window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    if (typeof window !== "undefined") window.removeEventListener("storage", onStorage);
  };
}

const formats = new Map<string, Intl.DateTimeFormat>();
function format(kind: "full" | "short" | "day", inUtc: boolean): Intl.DateTimeFormat {
  const id = `${kind}:${inUtc}`;
  let f = formats.get(id);
  if (!f) {
    const time = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" } as const;
    f = new Intl.DateTimeFormat("en-GB", {
      ...(kind !== "short" ? { year: "numeric", month: "short", day: "2-digit" } : {}),
      ...(kind !== "day" ? time : {}),
      ...(kind === "full" ? { second: "2-digit" } : {}),
      ...(kind === "day" ? { timeZoneName: "short" } : {}),
      ...(inUtc ? { timeZone: "UTC" } : {}),
    });
    formats.set(id, f);
  }
  return f;
}

/** The full form, for events and any date a person reads; "—" when absent. */
export function formatDateTime(value: string | Date | null | undefined, inUtc = prefersUtc()): string {
  if (value === null || value === undefined || value === "") return "—";
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : format("full", inUtc).format(d);
}

/** Chart axis labels: hour and minute, or the day, with the zone. */
export function formatAxis(value: string, kind: "short" | "day", inUtc = prefersUtc()): string {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : format(kind, inUtc).format(d);
}
