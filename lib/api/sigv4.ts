// SigV4 verification: parse the Authorization header, check scope and clock
// skew, then recompute the signature over exactly the headers the client
// signed, and compare in constant time.
import { createHmac, hash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { Hash } from "@smithy/hash-node";
import { createScope, getCanonicalHeaders, getSigningKey, SignatureV4Base } from "@smithy/signature-v4";
import type { HttpRequest } from "@smithy/types";
import { LRUCache } from "lru-cache";
import { IncompleteSignatureException, InvalidSignatureException, MissingAuthenticationTokenException, UnrecognizedClientException } from "./errors";

export const MAX_SKEW_MS = 5 * 60 * 1000;
const SERVICE = "kms";

export interface ParsedAuthorization {
  accessKeyId: string;
  shortDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTH_RE = /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request\s*,\s*SignedHeaders=([a-z0-9;_.-]+)\s*,\s*Signature=([0-9a-f]{64})$/;

export function parseAuthorization(header: string | undefined): ParsedAuthorization {
  if (!header) throw new MissingAuthenticationTokenException("Missing Authentication Token");
  const m = AUTH_RE.exec(header.trim());
  if (!m) {
    if (!header.startsWith("AWS4-HMAC-SHA256")) {
      throw new IncompleteSignatureException(`Authorization header requires the AWS4-HMAC-SHA256 algorithm.`);
    }
    throw new IncompleteSignatureException(
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters in the form Credential=AKID/date/region/service/aws4_request, SignedHeaders=..., Signature=<64 hex>.",
    );
  }
  return {
    accessKeyId: m[1]!,
    shortDate: m[2]!,
    region: m[3]!,
    service: m[4]!,
    signedHeaders: m[5]!.split(";"),
    signature: m[6]!,
  };
}

/** X-Amz-Date (basic ISO 8601, e.g. 20261128T101500Z) → Date. */
export function parseAmzDate(value: string | undefined): Date | undefined {
  const m = value && /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const amz = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/** Checks everything that needs no secret: date header, scope, skew. */
export function checkRequestScope(
  auth: ParsedAuthorization,
  headers: IncomingHttpHeaders,
  options: { region: string; now?: Date },
): Date {
  const date = parseAmzDate(headerValue(headers, "x-amz-date"));
  if (!date) {
    throw new IncompleteSignatureException("Authorization header requires existence of a valid 'X-Amz-Date' header.");
  }
  if (!auth.signedHeaders.includes("host")) {
    throw new InvalidSignatureException("'Host' must be a signed header.");
  }
  if (!auth.signedHeaders.includes("x-amz-date")) {
    throw new InvalidSignatureException("'X-Amz-Date' must be a signed header.");
  }
  // X-Amz-Target names the operation: unsigned, it could be swapped on a
  // captured request within the skew window. No x-amz-* header may ride along
  // unsigned (the SDKs and the AWS CLI sign them all).
  for (const name of Object.keys(headers)) {
    if (name.startsWith("x-amz-") && !auth.signedHeaders.includes(name)) {
      throw new InvalidSignatureException(`'${name}' must be signed: every x-amz- header of a request is part of its signature.`);
    }
  }
  // Keyhold issues no temporary credentials, so no session token can be
  // valid: refuse it as AWS refuses an invalid one rather than ignore it
  // (ignoring would let a caller believe its STS session limits applied).
  if (headers["x-amz-security-token"] !== undefined) {
    throw new UnrecognizedClientException("The security token included in the request is invalid.");
  }
  const longDate = amz(date);
  if (auth.shortDate !== longDate.slice(0, 8)) {
    throw new InvalidSignatureException(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.shortDate}' != '${longDate.slice(0, 8)}', from '${longDate}'.`,
    );
  }
  if (auth.service !== SERVICE) {
    throw new InvalidSignatureException(`Credential should be scoped to correct service: '${SERVICE}'.`);
  }
  if (auth.region !== options.region) {
    throw new InvalidSignatureException(
      `Credential should be scoped to a valid region. This endpoint serves '${options.region}', not '${auth.region}'.`,
    );
  }
  const now = options.now ?? new Date();
  if (date.getTime() < now.getTime() - MAX_SKEW_MS) {
    throw new InvalidSignatureException(
      `Signature expired: ${longDate} is now earlier than ${amz(new Date(now.getTime() - MAX_SKEW_MS))} (${amz(now)} - 5 min.)`,
    );
  }
  if (date.getTime() > now.getTime() + MAX_SKEW_MS) {
    throw new InvalidSignatureException(
      `Signature not yet current: ${longDate} is still later than ${amz(new Date(now.getTime() + MAX_SKEW_MS))} (${amz(now)} + 5 min.)`,
    );
  }
  return date;
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/**
 * The key derivation and the general canonicalisation (any path or query)
 * are @smithy/signature-v4's, the SDK's own code, so client and server agree
 * byte for byte; the JSON protocol's one shape is built directly
 * (jsonProtocolCanonicalRequest, held to smithy's form and AWS's vectors by
 * sigv4.test.ts), and the last two steps run here, synchronously on
 * node:crypto, because smithy's `sign()` clones the request, re-derives a
 * cache key from the secret with an HMAC and goes through several promises —
 * a third of the API's CPU time.
 */
class SignatureV4Verifier extends SignatureV4Base {
  constructor() {
    super({ credentials: { accessKeyId: "", secretAccessKey: "" }, region: "", service: SERVICE, sha256: Hash.bind(null, "sha256"), uriEscapePath: true });
  }

  canonicalRequest(request: HttpRequest, signedHeaders: ReadonlySet<string>, payloadHash: string): string {
    return this.createCanonicalRequest(request, getCanonicalHeaders(request, undefined, signedHeaders as Set<string>), payloadHash);
  }
}

const verifier = new SignatureV4Verifier();

// Signing keys derived per (access key, secret, date, region, service) — a
// day's key is four HMACs, and every request of that day reuses it.
const signingKeys = new LRUCache<string, { secret: string; key: Buffer }>({ max: 10_000 });

async function signingKeyFor(auth: ParsedAuthorization, secretAccessKey: string): Promise<Buffer> {
  const id = `${auth.accessKeyId}/${auth.shortDate}/${auth.region}/${auth.service}`;
  const hit = signingKeys.get(id);
  if (hit && hit.secret === secretAccessKey) return hit.key;
  const derived = await getSigningKey(
    Hash.bind(null, "sha256"),
    { accessKeyId: auth.accessKeyId, secretAccessKey },
    auth.shortDate,
    auth.region,
    auth.service,
  );
  const key = Buffer.from(derived);
  signingKeys.set(id, { secret: secretAccessKey, key });
  return key;
}

/** The signature a request must carry: SigV4's string to sign under the derived key. */
export function expectedSignature(
  auth: ParsedAuthorization,
  request: { method: string; path: string; headers: Record<string, string> },
  longDate: string,
  payloadHash: string,
  signingKey: Buffer,
): string {
  const canonical =
    request.path === "/" ? jsonProtocolCanonicalRequest(request.method, request.headers, payloadHash) : smithyCanonicalRequest(auth, request, payloadHash);
  const scope = createScope(auth.shortDate, auth.region, auth.service);
  const stringToSign = `AWS4-HMAC-SHA256\n${longDate}\n${scope}\n${hash("sha256", canonical, "hex")}`;
  return createHmac("sha256", signingKey).update(stringToSign).digest("hex");
}

/**
 * The canonical request of the JSON protocol's one shape — path "/", no
 * query — built directly: smithy's general form (path segments escaped,
 * query sorted, every header screened against its unsignable lists) cost
 * more than the two hashes. `headers` holds exactly the signed headers; each
 * value trimmed with inner whitespace collapsed, names sorted, as smithy
 * does (sigv4.test.ts checks both forms agree, and AWS's vectors).
 */
export function jsonProtocolCanonicalRequest(method: string, headers: Record<string, string>, payloadHash: string): string {
  const names = Object.keys(headers).sort();
  let canonical = `${method}\n/\n\n`;
  for (const name of names) canonical += `${name}:${headers[name]!.trim().replace(/\s+/g, " ")}\n`;
  return `${canonical}\n${names.join(";")}\n${payloadHash}`;
}

/** Any other path or a query: smithy's canonical request, as the SDKs build it. */
export function smithyCanonicalRequest(
  auth: ParsedAuthorization,
  request: { method: string; path: string; headers: Record<string, string> },
  payloadHash: string,
): string {
  const [pathname, query = ""] = request.path.split("?", 2);
  return verifier.canonicalRequest(
    {
      method: request.method,
      protocol: "http:",
      hostname: request.headers.host ?? "",
      path: pathname!,
      query: query ? Object.fromEntries(new URLSearchParams(query)) : {},
      headers: request.headers,
    },
    new Set(auth.signedHeaders),
    payloadHash,
  );
}

export async function verifySignature(
  auth: ParsedAuthorization,
  request: { method: string; path: string; headers: IncomingHttpHeaders; body: Buffer; date: Date },
  secretAccessKey: string,
): Promise<void> {
  // The body hash is ours to compute; a client-sent hash must agree with it,
  // or a swapped body could ride on a valid signature.
  const payloadHash = hash("sha256", request.body, "hex");
  const claimed = headerValue(request.headers, "x-amz-content-sha256");
  if (claimed !== undefined && claimed !== payloadHash) {
    throw new InvalidSignatureException("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const v = headerValue(request.headers, name);
    if (v === undefined) throw new InvalidSignatureException(`Signed header '${name}' is missing from the request.`);
    headers[name] = v;
  }
  const expected = expectedSignature(
    auth,
    { method: request.method, path: request.path, headers },
    amz(request.date),
    payloadHash,
    await signingKeyFor(auth, secretAccessKey),
  );
  const a = Buffer.from(expected, "hex");
  const b = Buffer.from(auth.signature, "hex");
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new InvalidSignatureException(SIGNATURE_MISMATCH);
}
