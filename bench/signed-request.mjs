// One SigV4-signed KMS request for a load generator to replay (SigV4 allows
// replay within the skew window): what autocannon sends, minus the host.
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";

export const BENCH_REGION = "us-east-1";
export const BENCH_CREDENTIALS = { accessKeyId: "AKIABENCHMARKKEYHOLD", secretAccessKey: "bench/secret+0000000000000000000000000000".slice(0, 40) };

export async function signedRequest(endpoint, operation, body) {
  const url = new URL(endpoint);
  const payload = JSON.stringify(body);
  const signer = new SignatureV4({ credentials: BENCH_CREDENTIALS, region: BENCH_REGION, service: "kms", sha256: Hash.bind(null, "sha256") });
  const req = await signer.sign(
    {
      method: "POST",
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: "/",
      headers: { host: url.host, "content-type": "application/x-amz-json-1.1", "x-amz-target": `TrentService.${operation}` },
      body: payload,
    },
    { signingDate: new Date() },
  );
  const { host: _host, ...headers } = req.headers;
  return { method: "POST", headers, body: payload };
}
