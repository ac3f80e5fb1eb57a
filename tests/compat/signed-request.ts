// Builds SigV4-signed KMS requests by hand (with @smithy/signature-v4, as the
// SDK does) so tests can tamper with any part of them.
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";

export interface RawRequest {
  headers: Record<string, string>;
  body: string;
}

export async function signedRequest(
  endpoint: string,
  operation: string,
  body: unknown,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  options: { region?: string; date?: Date; service?: string; contentSha256?: boolean; unsigned?: string[]; targetPrefix?: string } = {},
): Promise<RawRequest> {
  const url = new URL(endpoint);
  const payload = typeof body === "string" ? body : JSON.stringify(body);
  const signer = new SignatureV4({
    credentials,
    region: options.region ?? "us-east-1",
    service: options.service ?? "kms",
    sha256: Hash.bind(null, "sha256"),
    applyChecksum: options.contentSha256 ?? true,
  });
  const signed = await signer.sign(
    {
      method: "POST",
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: "/",
      query: {},
      headers: {
        host: url.host,
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": `${options.targetPrefix ?? "TrentService"}.${operation}`,
      },
      body: payload,
    },
    { signingDate: options.date ?? new Date(), ...(options.unsigned ? { unsignableHeaders: new Set(options.unsigned) } : {}) },
  );
  return { headers: signed.headers as Record<string, string>, body: payload };
}

export async function send(endpoint: string, req: RawRequest): Promise<{ status: number; body: { __type?: string; message?: string } & Record<string, unknown>; headers: Headers }> {
  const { host: _host, ...headers } = req.headers;
  const res = await fetch(endpoint, { method: "POST", headers, body: req.body });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text);
  } catch {
    body = { raw: text };
  }
  return { status: res.status, body, headers: res.headers };
}
