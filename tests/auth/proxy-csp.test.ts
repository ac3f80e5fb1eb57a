// The proxy (proxy.ts) run as Next runs it, on NextRequests: every page gets
// a Content-Security-Policy with a fresh nonce, handed to Next on the request
// so its scripts carry it; signed-out visitors of console pages still go to /login.
import { NextRequest, type NextFetchEvent } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import proxy from "@/proxy";
import { contentSecurityPolicy } from "@/lib/http/content-security-policy";
import { makeUser } from "../helpers";
import { ORIGIN, SESSION_COOKIE, consoleSignIn, useTestAuthEnvironment } from "./console-session";

beforeAll(() => {
  useTestAuthEnvironment();
});

const event = {} as NextFetchEvent;
const run = async (path: string, cookie?: string) =>
  (await proxy(new NextRequest(`${ORIGIN}${path}`, { headers: cookie ? { cookie } : {} }), event)) as Response;

function directives(csp: string | null): Map<string, string> {
  return new Map((csp ?? "").split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values.join(" ")]));
}

function expectPolicy(res: Response) {
  const csp = res.headers.get("content-security-policy");
  const d = directives(csp);
  expect(d.get("default-src")).toBe("'self'");
  expect(d.get("frame-ancestors")).toBe("'none'");
  expect(d.get("object-src")).toBe("'none'");
  expect(d.get("base-uri")).toBe("'self'");
  expect(d.get("form-action")).toBe("'self'");
  expect(d.get("script-src")).not.toContain("unsafe-eval");
  expect(d.get("script-src")).not.toContain("unsafe-inline");
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(d.get("script-src") ?? "")?.[1];
  expect(nonce).toBeTruthy();
  // Next reads the policy and the nonce from the request the proxy rewrote.
  expect(res.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
  expect(res.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
  return nonce!;
}

describe("console security headers (proxy.ts)", () => {
  it("gives the sign-in page a policy with a fresh nonce per response", async () => {
    const first = expectPolicy(await run("/login?callbackUrl=%2Fkeys"));
    const second = expectPolicy(await run("/login"));
    expect(second).not.toBe(first);
  });

  it("sends signed-out visitors of console pages to /login", async () => {
    const res = await run("/keys");
    expect(res.status).toBe(307);
    expect(new URL(res.headers.get("location")!).pathname).toBe("/login");
  });

  it("gives a signed-in console page the policy", async () => {
    const { user, password } = await makeUser("AUDITOR");
    const { sessionToken } = await consoleSignIn(user.username, password);
    const res = await run("/keys", `${SESSION_COOKIE}=${sessionToken}`);
    expect(res.headers.get("location")).toBeNull();
    expectPolicy(res);
  });

  it("allows eval only in development", () => {
    expect(contentSecurityPolicy("n", { dev: true })).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy("n")).not.toContain("'unsafe-eval'");
  });
});
