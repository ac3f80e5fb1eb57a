import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
// Debian's Chromium (apt-get install -y chromium) where present; elsewhere
// Playwright's own browser, so the suite also runs on other machines.
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const E2E_ADMIN = { username: "admin", password: "e2e admin password" };
/** The OpenID provider e2e/sso.spec.ts starts (oidc-provider) on the port after next. */
export const E2E_OIDC = {
  port: port + 2,
  issuer: `http://localhost:${port + 2}`,
  clientId: "keyhold-e2e",
  clientSecret: "keyhold e2e oidc client secret",
  roleMap: "groups:kms-admins=Administrator,groups:kms-auditors=auditor",
};

export default defineConfig({
  testDir: "./e2e",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "off",
    launchOptions: {
      ...(existsSync(chromium) ? { executablePath: chromium } : {}),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        // Chromium still looks up outside hosts; resolve nothing but localhost.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
      ],
    },
  },
  webServer: {
    command: "node scripts/e2e-server.mjs",
    url: `http://localhost:${port}/readyz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      KEYHOLD_DATA_DIR: process.env.E2E_DATA_DIR ?? ".e2e-data",
      NEXTAUTH_URL: `http://localhost:${port}`,
      KEYHOLD_ADMIN_USER: E2E_ADMIN.username,
      KEYHOLD_ADMIN_PASSWORD: E2E_ADMIN.password,
      LOG_LEVEL: "warn",
      KEYHOLD_OIDC_ISSUER: E2E_OIDC.issuer,
      KEYHOLD_OIDC_CLIENT_ID: E2E_OIDC.clientId,
      KEYHOLD_OIDC_CLIENT_SECRET: E2E_OIDC.clientSecret,
      KEYHOLD_OIDC_ROLE_MAP: E2E_OIDC.roleMap,
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    },
  },
});
