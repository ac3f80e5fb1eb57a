import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";

describe("configuration", () => {
  it("applies defaults", () => {
    const c = parseConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe("0.0.0.0");
    expect(c.region).toBe("us-east-1");
    expect(c.adminUser).toBe("admin");
    expect(c.dataDir.endsWith(".keyhold")).toBe(true);
    expect(c.sessionIdleSeconds).toBe(30 * 60);
    expect(c.sessionMaxSeconds).toBe(12 * 60 * 60);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.apiAuthFailures).toEqual({ perSecond: 20, burst: 100, windowSeconds: 60 });
    expect(c.metrics).toEqual({ enabled: true, token: undefined });
  });

  it.each([
    [{ PORT: "abc" }, /^Invalid configuration: PORT/],
    [{ PORT: "70000" }, /PORT must be between 0 and 65535/],
    [{ KEYHOLD_ACCOUNT_ID: "12345" }, /KEYHOLD_ACCOUNT_ID must be exactly 12 digits/],
    [{ KEYHOLD_REGION: "moon" }, /KEYHOLD_REGION must look like an AWS region/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL must be a postgresql:\/\/ connection URL/],
    [{ KEYHOLD_ADMIN_PASSWORD: "short" }, /KEYHOLD_ADMIN_PASSWORD must be at least 12 characters/],
    [{ KEYHOLD_ADMIN_USER: "has space" }, /KEYHOLD_ADMIN_USER must be/],
    [{ NEXTAUTH_URL: "not a url" }, /NEXTAUTH_URL must be an absolute URL/],
    [{ NEXTAUTH_SECRET: "tooshort" }, /NEXTAUTH_SECRET must be at least 32 characters/],
    [{ KEYHOLD_SESSION_IDLE_MINUTES: "0" }, /KEYHOLD_SESSION_IDLE_MINUTES must be at least 1 minute/],
    [{ KEYHOLD_API_AUTH_FAILURE_BURST: "0" }, /KEYHOLD_API_AUTH_FAILURE_BURST must be between 1 and 1000000/],
    [{ KEYHOLD_API_AUTH_FAILURES_PER_SECOND: "lots" }, /KEYHOLD_API_AUTH_FAILURES_PER_SECOND must be a number/],
    [{ KEYHOLD_API_AUTH_FAILURE_WINDOW_SECONDS: "7200" }, /KEYHOLD_API_AUTH_FAILURE_WINDOW_SECONDS must be between 1 and 3600/],
    [{ KEYHOLD_METRICS_TOKEN: "short-token" }, /KEYHOLD_METRICS_TOKEN must be at least 16 characters/],
    [{ KEYHOLD_METRICS: "maybe" }, /KEYHOLD_METRICS must be on or off/],
  ])("rejects %o with one line naming the variable", (env, message) => {
    let error: Error | undefined;
    try {
      parseConfig(env);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe("ConfigError");
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain("\n");
  });

  it("accepts valid values and treats empty strings as unset", () => {
    const c = parseConfig({ PORT: "8080", KEYHOLD_ACCOUNT_ID: "123456789012", KEYHOLD_REGION: "eu-west-3", DATABASE_URL: "" });
    expect(c).toMatchObject({ port: 8080, accountId: "123456789012", region: "eu-west-3", databaseUrl: undefined });
  });
});
