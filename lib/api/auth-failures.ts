// Failed API authentication, bounded. A request that never proved who sent it
// must not be able to write the audit trail at will (anyone could fill the
// disk, and with fail-closed audit that stops every KMS call), yet an auditor
// must still see it. So failures are counted, not recorded one by one: one
// summary event per (source, claimed access key id) per window, every field
// of it bounded. Each source also has a token bucket of failures; once it is
// empty, its requests are answered ThrottlingException without being
// verified, and those are counted in the same summary.
import { isIPv6 } from "node:net";
import { LRUCache } from "lru-cache";
import { ACCESS_KEY_ID_PATTERN } from "@/lib/accounts/access-keys";
import { writeAuditEvent } from "@/lib/audit";
import { config } from "@/lib/config";
import { logger } from "@/lib/log";
import { TARGET_PREFIX } from "./model";
import { isKnownOperation } from "./operations";

/** Sources tracked at once (least recently seen beyond this are folded into one "multiple" summary). */
export const MAX_TRACKED_SOURCES = 10_000;
/** Distinct claimed access key ids per source per window; more are counted under "other". */
const MAX_KEY_IDS_PER_SOURCE = 5;
const MAX_DISTINCT = 10; // error codes and event names listed per summary
const MAX_USER_AGENT = 256;
export const SUMMARY_EVENT_NAME = "AuthenticationFailures";
const THROTTLED = "ThrottlingException";

export interface AuthFailure {
  sourceIp: string | undefined;
  /** As claimed in the Authorization header (not verified). */
  accessKeyId: string | undefined;
  /** The raw X-Amz-Target header. */
  target: string;
  userAgent: string | undefined;
  /** The AWS exception name the caller was answered with. */
  errorCode: string;
}

interface Bucket {
  source: string;
  accessKeyId: string | undefined;
  count: number;
  throttled: number;
  first: number;
  last: number;
  errorCodes: Map<string, number>;
  eventNames: Map<string, number>;
  userAgent: string;
  sources: number; // > 1 only for the "multiple" bucket of evicted sources
}

interface SourceState {
  tokens: number;
  refilledAt: number;
  buckets: Map<string, Bucket>;
}

const NO_KEY = "";

/** IPv4 as is; IPv6 by its /64 (one host usually holds a whole /64, so single addresses would not bound anything). */
export function sourceOf(ip: string | undefined): string {
  if (!ip) return "unknown";
  if (!ip.includes(":")) return ip; // IPv4, the common case: no regular expression per request
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head, tail = ""] = ip.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, "").toLowerCase())
    .join(":")}::/64`;
}

/** A claimed access key id of the real shape, "invalid" otherwise (never arbitrary caller text). */
export function claimedKeyIdOf(accessKeyId: string | undefined): string | undefined {
  if (accessKeyId === undefined || accessKeyId === "") return undefined;
  return ACCESS_KEY_ID_PATTERN.test(accessKeyId) ? accessKeyId : "invalid";
}

/** The operation named by X-Amz-Target if it is one of KMS's, else "Unknown". */
export function operationOf(target: string): string {
  const [prefix, name] = target.split(".", 2);
  return prefix === TARGET_PREFIX && name && isKnownOperation(name) ? name : "Unknown";
}

const newBucket = (source: string, accessKeyId: string | undefined, now: number, userAgent = ""): Bucket => ({
  source,
  accessKeyId,
  count: 0,
  throttled: 0,
  first: now,
  last: now,
  errorCodes: new Map(),
  eventNames: new Map(),
  userAgent,
  sources: 1,
});

function countIn(map: Map<string, number>, key: string, n = 1) {
  const k = map.has(key) || map.size < MAX_DISTINCT ? key : "Other";
  map.set(k, (map.get(k) ?? 0) + n);
}

function merge(into: Bucket, from: Bucket) {
  into.count += from.count;
  into.throttled += from.throttled;
  into.first = Math.min(into.first, from.first);
  into.last = Math.max(into.last, from.last);
  for (const [k, n] of from.errorCodes) countIn(into.errorCodes, k, n);
  for (const [k, n] of from.eventNames) countIn(into.eventNames, k, n);
  into.userAgent ||= from.userAgent;
}

// Failures of sources pushed out of the table: still counted, in one summary.
let evicted: Bucket | undefined;
function foldEvicted(state: SourceState) {
  for (const b of state.buckets.values()) {
    evicted ??= { ...newBucket("multiple", undefined, b.first), sources: 0 };
    merge(evicted, b);
    evicted.sources += 1;
  }
}

const sources = new LRUCache<string, SourceState>({
  max: MAX_TRACKED_SOURCES,
  dispose: (state, _key, reason) => {
    if (reason === "evict") foldEvicted(state);
  },
});

function refill(state: SourceState, now: number) {
  const { perSecond, burst } = config().apiAuthFailures;
  state.tokens = Math.min(burst, state.tokens + ((now - state.refilledAt) / 1000) * perSecond);
  state.refilledAt = now;
}

// Access keys that signed a request correctly lately. Clients behind the same
// proxy or NAT share a source address: one of them sending garbage must not
// lock the others out, so a throttled source still gets its requests checked
// when they claim one of these keys (a cached credential or one lookup each
// 10 s, then one HMAC). Unknown keys stay refused unverified.
const verifiedKeys = new LRUCache<string, true>({ max: 10_000, ttl: 15 * 60_000 });

/** Marks an access key as one that signed a request correctly (called after verification). */
export function noteVerifiedKey(accessKeyId: string): void {
  verifiedKeys.set(accessKeyId, true);
}

/**
 * Whether to answer ThrottlingException without verifying: the source has
 * used up its failed attempts, and the request does not claim an access key
 * that signed correctly lately.
 */
export function authFailuresThrottled(sourceIp: string | undefined, claimedAccessKeyId?: string): boolean {
  const state = sources.peek(sourceOf(sourceIp));
  if (!state) return false;
  refill(state, Date.now());
  if (state.tokens >= 1) return false;
  return claimedAccessKeyId === undefined || !verifiedKeys.has(claimedAccessKeyId);
}

let timer: NodeJS.Timeout | undefined;

/** Counts one failed (or throttled) unauthenticated request; written later by flushAuthFailureAudit. */
export function noteAuthFailure(f: AuthFailure): void {
  const now = Date.now();
  const source = sourceOf(f.sourceIp);
  let state = sources.get(source);
  if (!state) {
    state = { tokens: config().apiAuthFailures.burst, refilledAt: now, buckets: new Map() };
    sources.set(source, state);
  }
  // A throttled request was refused unverified and an internal fault is not the caller's: neither costs a token.
  if (f.errorCode !== THROTTLED && f.errorCode !== "KMSInternalException") {
    refill(state, now);
    state.tokens = Math.max(0, state.tokens - 1);
  }
  let keyId = claimedKeyIdOf(f.accessKeyId);
  if (!state.buckets.has(keyId ?? NO_KEY) && state.buckets.size >= MAX_KEY_IDS_PER_SOURCE) keyId = "other";
  let bucket = state.buckets.get(keyId ?? NO_KEY);
  if (!bucket) {
    bucket = newBucket(source, keyId, now, (f.userAgent ?? "").slice(0, MAX_USER_AGENT));
    state.buckets.set(keyId ?? NO_KEY, bucket);
  }
  bucket.count += 1;
  if (f.errorCode === THROTTLED) bucket.throttled += 1;
  bucket.last = now;
  countIn(bucket.errorCodes, f.errorCode);
  countIn(bucket.eventNames, operationOf(f.target));
  // One summary per (source, access key id) per window (KEYHOLD_API_AUTH_FAILURE_WINDOW_SECONDS).
  timer ??= setInterval(() => void flushAuthFailureAudit(), config().apiAuthFailures.windowSeconds * 1000).unref();
}

/** The most frequent code that is not the throttle (the reason the source was throttled). */
function mainErrorCode(b: Bucket): string {
  const ranked = [...b.errorCodes].sort((x, y) => y[1] - x[1]);
  return (ranked.find(([code]) => code !== THROTTLED) ?? ranked[0]!)[0];
}

async function writeSummary(b: Bucket): Promise<void> {
  const first = new Date(b.first).toISOString();
  const last = new Date(b.last).toISOString();
  await writeAuditEvent({
    eventName: SUMMARY_EVENT_NAME,
    accessKeyId: b.accessKeyId,
    via: "api",
    sourceIp: b.source,
    userAgent: b.userAgent || undefined,
    request: {
      failures: b.count,
      throttled: b.throttled,
      firstFailureTime: first,
      lastFailureTime: last,
      // Lists, not maps: the record keeps names as field values, never as field names.
      errorCodes: [...b.errorCodes].map(([errorCode, count]) => ({ errorCode, count })),
      eventNames: [...b.eventNames].map(([eventName, count]) => ({ eventName, count })),
      ...(b.sources > 1 ? { sources: b.sources } : {}),
    },
    error: { name: mainErrorCode(b), message: `${b.count} request(s) failed authentication between ${first} and ${last}.` },
    readOnly: false,
  });
}

let flushing: Promise<void> = Promise.resolve();

/**
 * Writes one summary event per pending (source, access key id) and starts new
 * windows. Call it on shutdown too, before the audit writer closes. A summary
 * that cannot be written is kept for the next flush.
 */
export function flushAuthFailureAudit(): Promise<void> {
  flushing = flushing.then(async () => {
    const now = Date.now();
    const batch: Bucket[] = [];
    const rested: string[] = [];
    for (const [source, state] of sources.entries()) {
      batch.push(...state.buckets.values());
      state.buckets.clear();
      refill(state, now);
      // A source back to a full bucket has nothing left to remember.
      if (state.tokens >= config().apiAuthFailures.burst) rested.push(source);
    }
    for (const source of rested) sources.delete(source);
    if (evicted) batch.push(evicted);
    evicted = undefined;
    await Promise.all(
      batch.map((b) =>
        writeSummary(b).catch((e: unknown) => {
          logger.warn({ err: e, source: b.source, failures: b.count }, "could not write failed-authentication summary; keeping it for the next flush");
          keepForNextFlush(b);
        }),
      ),
    );
  });
  return flushing;
}

function keepForNextFlush(b: Bucket) {
  if (b.sources > 1 || b.source === "multiple") {
    if (evicted) merge(evicted, b);
    else evicted = b;
    return;
  }
  let state = sources.get(b.source);
  if (!state) {
    state = { tokens: config().apiAuthFailures.burst, refilledAt: Date.now(), buckets: new Map() };
    sources.set(b.source, state);
  }
  let key = b.accessKeyId ?? NO_KEY;
  if (!state.buckets.has(key) && state.buckets.size >= MAX_KEY_IDS_PER_SOURCE) key = "other";
  const existing = state.buckets.get(key);
  if (existing) merge(existing, b);
  else state.buckets.set(key, key === "other" ? { ...b, accessKeyId: "other" } : b);
}

/** For tests: forget every source and pending count. */
export function resetAuthFailures(): void {
  sources.clear();
  verifiedKeys.clear();
  evicted = undefined;
}
