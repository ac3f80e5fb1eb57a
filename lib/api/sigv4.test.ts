// The verifier against AWS's published SigV4 test suite (aws-sig-v4-test-suite:
// "get-vanilla", "get-vanilla-query-order-key-case", "post-vanilla",
// "post-header-value-case" and "get-header-value-trim", credential AKIDEXAMPLE,
// 2015-08-30T12:36:00Z, us-east-1, service "service"), plus what must fail.
import { describe, expect, it } from "vitest";
import { InvalidSignatureException } from "./errors";
import { jsonProtocolCanonicalRequest, parseAuthorization, smithyCanonicalRequest, verifySignature } from "./sigv4";

const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const DATE = new Date(Date.UTC(2015, 7, 30, 12, 36, 0));
const HEADERS = { host: "example.amazonaws.com", "x-amz-date": "20150830T123600Z" };
const authorization = (signature: string, signedHeaders = "host;x-amz-date") =>
  parseAuthorization(
    `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  );

const GET_VANILLA = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
const GET_QUERY_ORDER = "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500";

const verify = (
  signature: string,
  path: string,
  overrides: { method?: string; headers?: Record<string, string>; signedHeaders?: string; body?: Buffer; secret?: string } = {},
) =>
  verifySignature(
    authorization(signature, overrides.signedHeaders),
    { method: overrides.method ?? "GET", path, headers: overrides.headers ?? HEADERS, body: overrides.body ?? Buffer.alloc(0), date: DATE },
    overrides.secret ?? SECRET,
  );

describe("SigV4 verification", () => {
  it("accepts AWS's get-vanilla example", async () => {
    await expect(verify(GET_VANILLA, "/")).resolves.toBeUndefined();
  });

  it("accepts get-vanilla-query-order-key-case (the query is sorted before signing)", async () => {
    await expect(verify(GET_QUERY_ORDER, "/?Param2=value2&Param1=value1")).resolves.toBeUndefined();
  });

  it("accepts post-vanilla, post-header-value-case and get-header-value-trim (the JSON protocol's path \"/\", built directly)", async () => {
    await expect(verify("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b", "/", { method: "POST" })).resolves.toBeUndefined();
    const valueCase = { ...HEADERS, "my-header1": "VALUE1" };
    await expect(
      verify("cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d", "/", { method: "POST", headers: valueCase, signedHeaders: "host;my-header1;x-amz-date" }),
    ).resolves.toBeUndefined();
    const trim = { ...HEADERS, "my-header1": " value1", "my-header2": '"a   b   c"' };
    await expect(verify("acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736", "/", { headers: trim, signedHeaders: "host;my-header1;my-header2;x-amz-date" })).resolves.toBeUndefined();
  });

  it("builds the same canonical request as smithy's general form for path \"/\"", () => {
    const payloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    const cases: Array<Record<string, string>> = [
      HEADERS,
      { "x-amz-target": "TrentService.Encrypt", "content-type": "application/x-amz-json-1.1", ...HEADERS, "x-amz-user-agent": "aws-sdk-js/3  ua/2.1\tos/linux " },
      { ...HEADERS, "amz-sdk-invocation-id": "a b", "amz-sdk-request": "attempt=1; max=3", "content-length": "42", "x-amz-content-sha256": payloadHash },
    ];
    for (const headers of cases) {
      const auth = authorization("0".repeat(64), Object.keys(headers).sort().join(";"));
      expect(jsonProtocolCanonicalRequest("POST", headers, payloadHash)).toBe(smithyCanonicalRequest(auth, { method: "POST", path: "/", headers }, payloadHash));
    }
  });

  it("refuses a signature over another request, body or secret", async () => {
    await expect(verify(GET_VANILLA, "/?Param1=value1")).rejects.toBeInstanceOf(InvalidSignatureException);
    await expect(verify(GET_VANILLA, "/", { body: Buffer.from("x") })).rejects.toBeInstanceOf(InvalidSignatureException);
    await expect(verify(GET_VANILLA, "/", { headers: { ...HEADERS, host: "example.amazonaws.com:443" } })).rejects.toBeInstanceOf(
      InvalidSignatureException,
    );
    // Same access key ID and day, other secret: the cached signing key must not be reused.
    await expect(verify(GET_VANILLA, "/", { secret: SECRET.replace("K7", "K8") })).rejects.toBeInstanceOf(InvalidSignatureException);
    await expect(verify(GET_VANILLA, "/")).resolves.toBeUndefined();
  });

  it("refuses a client-sent payload hash that is not the body's", async () => {
    const headers = { ...HEADERS, "x-amz-content-sha256": "0".repeat(64) };
    await expect(verify(GET_VANILLA, "/", { headers })).rejects.toThrow(/x-amz-content-sha256/);
  });

  it("refuses a request that lacks a header it says it signed", async () => {
    await expect(verify(GET_VANILLA, "/", { headers: { host: HEADERS.host } })).rejects.toThrow(/Signed header 'x-amz-date' is missing/);
  });
});
