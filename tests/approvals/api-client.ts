// Calls the approvals operations of the API (X-Amz-Target: KeyholdApprovals.<Operation>)
// as any SigV4 client would: signed with @smithy/signature-v4, the AWS SDK's own signer (signed-request.ts).
import { signedRequest } from "../compat/signed-request";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface ApiAnswer {
  status: number;
  body: { __type?: string; message?: string } & Record<string, unknown>;
}

export async function approvalsCall(endpoint: string, credentials: Credentials, operation: string, input: unknown): Promise<ApiAnswer> {
  const { host: _host, ...headers } = (await signedRequest(endpoint, operation, input, credentials, { targetPrefix: "KeyholdApprovals" })).headers;
  const res = await fetch(endpoint, { method: "POST", headers, body: JSON.stringify(input) });
  return { status: res.status, body: (await res.json()) as ApiAnswer["body"] };
}
