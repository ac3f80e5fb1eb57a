import { describe, expect, it } from "vitest";
import { safeCallbackPath, safeRedirectUrl } from "@/lib/auth/callback-path";

describe("safeCallbackPath (where to go after sign-in)", () => {
  it.each([
    ["/", "/"],
    ["/keys", "/keys"],
    ["/keys/1234?tab=policy#statement-2", "/keys/1234?tab=policy#statement-2"],
    ["/audit?q=a%20b", "/audit?q=a%20b"],
  ])("keeps the same-origin path %j", (raw, expected) => {
    expect(safeCallbackPath(raw)).toBe(expected);
  });

  it.each([
    // As the login page receives them after URLSearchParams decoding …
    "/\\evil.example/phish",
    "/\t/evil.example",
    "/\n/evil.example",
    "//evil.example",
    "///evil.example",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    " javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "\\\\evil.example",
    "evil.example",
    // … and still encoded (a second decoding must not reveal a redirect).
    "/%5Cevil.example/phish",
    "/%09/evil.example",
    "/%2F/evil.example",
    "%2F%2Fevil.example",
    "/%E0%A4%A", // malformed escape
    "",
  ])("refuses %j", (raw) => {
    expect(safeCallbackPath(raw)).toBe("/");
  });

  it("refuses what is not a string", () => {
    expect(safeCallbackPath(undefined)).toBe("/");
    expect(safeCallbackPath(null)).toBe("/");
    expect(safeCallbackPath(["/keys"])).toBe("/");
  });

  it("reads /login?callbackUrl=… as the login page does", () => {
    const raw = new URL("http://localhost:3000/login?callbackUrl=/%5Cevil.example/phish").searchParams.get("callbackUrl");
    expect(raw).toBe("/\\evil.example/phish");
    expect(safeCallbackPath(raw)).toBe("/");
  });
});

describe("safeRedirectUrl (next-auth redirect callback)", () => {
  const base = "http://localhost:3000";
  it("keeps same-origin URLs and paths", () => {
    expect(safeRedirectUrl("/keys", base)).toBe(`${base}/keys`);
    expect(safeRedirectUrl(`${base}/keys?x=1`, base)).toBe(`${base}/keys?x=1`);
  });
  it.each(["https://evil.example/", "/\\evil.example", "//evil.example", "javascript:alert(1)", "http://localhost:3001/keys"])("sends %j home", (url) => {
    expect(safeRedirectUrl(url, base)).toBe(`${base}/`);
  });
});
