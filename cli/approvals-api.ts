// `keyhold approvals approve|reject REQUEST-ID`: a decision is a person's, so
// this does not use the operator's admin socket at all. It is a SigV4-signed
// call to the API (KeyholdApprovals.ApproveRequest / RejectRequest) with the
// deciding user's own access key, taken from the environment as every AWS
// tool takes it; the server applies the console's rules to it.
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";

export interface DecisionOptions {
  decision: "approve" | "reject";
  requestId: string;
  reason?: string;
  mfaCode?: string;
  endpoint: string;
  region: string;
  env: NodeJS.ProcessEnv;
}

export type DecisionReply = { ok: true; result: Record<string, unknown> } | { ok: false; error: { name: string; message: string } };

export async function decideThroughApi(o: DecisionOptions): Promise<DecisionReply> {
  const accessKeyId = o.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = o.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    return { ok: false, error: { name: "MissingCredentials", message: "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to your own access key: approvals are decided by users, never by the host's operator." } };
  }
  const url = new URL(o.endpoint);
  const body = JSON.stringify({ RequestId: o.requestId, Reason: o.reason, MfaCode: o.mfaCode });
  const signer = new SignatureV4({ credentials: { accessKeyId, secretAccessKey, sessionToken: o.env.AWS_SESSION_TOKEN }, region: o.region, service: "kms", sha256: Hash.bind(null, "sha256") });
  const target = `KeyholdApprovals.${o.decision === "approve" ? "ApproveRequest" : "RejectRequest"}`;
  const signed = await signer.sign({
    method: "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: "/",
    query: {},
    headers: { host: url.host, "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
    body,
  });
  const { host: _host, ...headers } = signed.headers as Record<string, string>;
  const res = await fetch(new URL("/", url), { method: "POST", headers, body });
  const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.ok) return { ok: true, result: answer };
  return { ok: false, error: { name: String(answer.__type ?? `HTTP ${res.status}`), message: String(answer.message ?? "") } };
}
