// Where alerts may be sent: http(s) URLs only, and never a link-local address
// (169.254.0.0/16, fe80::/10), which is where cloud metadata services live
// (169.254.169.254, fd00:ec2::254): a rule must not turn Keyhold into a way
// to read instance credentials. Private and loopback addresses are allowed:
// receivers of a self-hosted service are usually internal.
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from "node:dns";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { ValidationException } from "@/lib/errors";

export const WEBHOOK_URL_MAX = 2048;

/** The 16 bytes of an IPv6 address (isIP already said it is one), embedded dotted quad included. */
function ipv6Bytes(a: string): number[] {
  let text = a;
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [, b0, b1, b2, b3] = quad.map(Number);
    text = `${text.slice(0, quad.index)}${((b0! << 8) | b1!).toString(16)}:${((b2! << 8) | b3!).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const h = groups(head);
  const t = groups(tail);
  const words = tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

/** The IPv4 address an IPv6 one carries (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::a.b.c.d), in any spelling. */
function embeddedIpv4(a: string): string | undefined {
  const b = ipv6Bytes(a);
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const mapped = zeros(0, 10) && b[10] === 0xff && b[11] === 0xff;
  const compatible = zeros(0, 12);
  const nat64 = b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12);
  return mapped || compatible || nat64 ? b.slice(12).join(".") : undefined;
}

function isForbiddenIpv4(v4: string): boolean {
  return v4.startsWith("169.254.") || v4 === "0.0.0.0";
}

function isForbiddenAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, "");
  if (isIP(a) === 4) return isForbiddenIpv4(a);
  if (isIP(a) !== 6) return false;
  // An IPv4 address inside an IPv6 one reaches the IPv4 host on a dual-stack machine.
  const v4 = embeddedIpv4(a);
  if (v4 !== undefined && isForbiddenIpv4(v4)) return true;
  const b = ipv6Bytes(a);
  const linkLocal = b[0] === 0xfe && (b[1]! & 0xc0) === 0x80; // fe80::/10
  const metadata = b.join(",") === ipv6Bytes("fd00:ec2::254").join(",");
  return linkLocal || metadata || b.every((x) => x === 0);
}

/** Parses a webhook URL or throws ValidationException saying why it is refused. */
export function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ValidationException("Webhook URL must be an absolute http:// or https:// URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new ValidationException("Webhook URL must use http:// or https://");
  if (url.username || url.password) throw new ValidationException("Webhook URL must not carry a user name or password");
  if (isForbiddenAddress(url.hostname)) throw new ValidationException(`Webhook URL must not name a link-local or metadata address (${url.hostname})`);
  return url;
}

/**
 * Checked again before each POST, on the addresses the host name resolves
 * to now (a name may point somewhere else than when the rule was saved).
 */
export async function assertDeliverable(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((r) => r.address);
  const bad = addresses.find(isForbiddenAddress);
  if (bad) throw new Error(`refused: ${url.hostname} resolves to the link-local address ${bad}`);
}

/** The URL as shown to readers who may not post to it: a Slack or Teams URL carries its secret in the path. */
export function redactedUrl(text: string): string {
  try {
    const url = new URL(text);
    return url.pathname === "/" && !url.search ? url.origin + "/" : `${url.origin}/…`;
  } catch {
    return "…";
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * dns.lookup for the POST's own connection, refusing link-local and metadata
 * answers: the address checked is the address connected to, so a name that
 * resolves elsewhere between the check above and the connection (DNS
 * rebinding) is still refused. (IP literals never reach a lookup: assertDeliverable checks them.)
 */
export function checkedLookup(hostname: string, options: { family?: number | string; all?: boolean }, callback: LookupCallback): void {
  dnsLookup(hostname, { ...(options as object), all: true } as LookupAllOptions, (err, addresses) => {
    if (err) return callback(err, []);
    const bad = addresses.find((a) => isForbiddenAddress(a.address));
    if (bad) return callback(Object.assign(new Error(`refused: ${hostname} resolves to the link-local address ${bad.address}`), { code: "EADDRNOTAVAIL" }), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), []);
    callback(null, first.address, first.family);
  });
}
