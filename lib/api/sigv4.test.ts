// The verifier against AWS's published SigV4 test suite (aws-sig-v4-test-suite:
// "get-vanilla" and "get-vanilla-query-order-key-case", credential AKIDEXAMPLE,
// 2015-08-30T12:36:00Z, us-east-1, service "service"), plus what must fail.
import { describe, expect, it } from "vitest";
import { InvalidSignatureException } from "./errors";
import { parseAuthorization, verifySignature } from "./sigv4";

const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const DATE = new Date(Date.UTC(2015, 7, 30, 12, 36, 0));
const HEADERS = { host: "example.amazonaws.com", "x-amz-date": "20150830T123600Z" };
const authorization = (signature: string) =>
  parseAuthorization(
    `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
  );

const GET_VANILLA = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
const GET_QUERY_ORDER = "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500";

const verify = (signature: string, path: string, overrides: { headers?: Record<string, string>; body?: Buffer; secret?: string } = {}) =>
  verifySignature(
    authorization(signature),
    { method: "GET", path, headers: overrides.headers ?? HEADERS, body: overrides.body ?? Buffer.alloc(0), date: DATE },
    overrides.secret ?? SECRET,
  );

describe("SigV4 verification", () => {
  it("accepts AWS's get-vanilla example", async () => {
    await expect(verify(GET_VANILLA, "/")).resolves.toBeUndefined();
  });

  it("accepts get-vanilla-query-order-key-case (the query is sorted before signing)", async () => {
    await expect(verify(GET_QUERY_ORDER, "/?Param2=value2&Param1=value1")).resolves.toBeUndefined();
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
