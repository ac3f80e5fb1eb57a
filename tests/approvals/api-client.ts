// Calls the approvals operations of the API (X-Amz-Target: KeyholdApprovals.<Operation>)
// as any SigV4 client would: signed with @smithy/signature-v4, the AWS SDK's own signer.
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface ApiAnswer {
  status: number;
  body: { __type?: string; message?: string } & Record<string, unknown>;
}

export async function approvalsCall(endpoint: string, credentials: Credentials, operation: string, input: unknown): Promise<ApiAnswer> {
  const url = new URL(endpoint);
  const body = JSON.stringify(input);
  const signer = new SignatureV4({ credentials, region: "us-east-1", service: "kms", sha256: Hash.bind(null, "sha256") });
  const signed = await signer.sign({
    method: "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: "/",
    query: {},
    headers: { host: url.host, "content-type": "application/x-amz-json-1.1", "x-amz-target": `KeyholdApprovals.${operation}` },
    body,
  });
  const { host: _host, ...headers } = signed.headers as Record<string, string>;
  const res = await fetch(endpoint, { method: "POST", headers, body });
  return { status: res.status, body: (await res.json()) as ApiAnswer["body"] };
}
