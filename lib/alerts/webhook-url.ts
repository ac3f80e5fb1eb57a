// Where alerts may be sent: http(s) URLs only, and never a link-local address
// (169.254.0.0/16, fe80::/10), which is where cloud metadata services live
// (169.254.169.254, fd00:ec2::254): a rule must not turn Keyhold into a way
// to read instance credentials. Private and loopback addresses are allowed:
// receivers of a self-hosted service are usually internal.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { ValidationException } from "@/lib/errors";

export const WEBHOOK_URL_MAX = 2048;

function isForbiddenAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, "");
  const v4 = a.startsWith("::ffff:") ? a.slice(7) : a;
  if (isIP(v4) === 4) return v4.startsWith("169.254.") || v4 === "0.0.0.0";
  if (isIP(a) === 6) return /^fe[89ab][0-9a-f]:/.test(a) || a === "fd00:ec2::254" || a === "::";
  return false;
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
