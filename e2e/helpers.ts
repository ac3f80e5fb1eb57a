import { execFileSync } from "node:child_process";
import { KMSClient } from "@aws-sdk/client-kms";
import { expect, type Browser, type Locator, type Page } from "@playwright/test";
import { settleStreamedPages } from "./fixtures";

export async function signIn(page: Page, username: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
}

/**
 * The console page's own content. Use it for test IDs inside a page: while a
 * page streams, React parks finished Suspense segments in hidden nodes at the
 * end of <body> before moving them into place, so an unscoped locator can
 * briefly match the same element twice.
 */
export const content = (page: Page) => page.getByRole("main");

/** The operator CLI, reaching the running e2e server through its admin socket. */
export function keyhold(args: string[], input?: string): string {
  return execFileSync(process.execPath, ["bin/keyhold.mjs", ...args], {
    encoding: "utf8",
    env: { ...process.env, KEYHOLD_DATA_DIR: process.env.E2E_DATA_DIR ?? ".e2e-data" },
    ...(input !== undefined ? { input } : {}),
  });
}

/** Creates an administrator from the terminal (`keyhold user create`) with `password`; answers the username. */
export function createAdmin(username: string, password: string): string {
  keyhold(["user", "create", "--username", username, "--role", "administrator", "--password-stdin"], password);
  return username;
}

/** A page in a fresh browser context (its own cookies), signed in as `username`. */
export async function signedInAs(browser: Browser, username: string, password: string): Promise<Page> {
  const page = settleStreamedPages(await (await browser.newContext()).newPage());
  await signIn(page, username, password);
  await expect(page.getByTestId("signed-in-user")).toContainText(username);
  return page;
}

/**
 * An AWS SDK client signing with a new access key of `username`. A user may own
 * only two access keys, so tests call `dispose()` when done: the key is deleted
 * and the next test (or a repeated run) can create its own.
 */
export function apiClientFor(username: string, baseURL: string): { kms: KMSClient; accessKeyId: string; dispose: () => void } {
  const { AccessKeyId, SecretAccessKey } = JSON.parse(keyhold(["access-key", "create", "--user", username, "--json"])) as {
    AccessKeyId: string;
    SecretAccessKey: string;
  };
  const kms = new KMSClient({
    endpoint: baseURL,
    region: "us-east-1",
    credentials: { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey },
    maxAttempts: 1,
  });
  return {
    kms,
    accessKeyId: AccessKeyId,
    dispose: () => {
      kms.destroy();
      keyhold(["access-key", "delete", "--access-key-id", AccessKeyId]);
    },
  };
}

/** Chooses a key in a key picker (components/keys/key-picker.tsx): types part of its alias, picks the suggestion. */
export async function pickKey(field: Locator, alias: string) {
  await field.fill(alias.replace(/^alias\//, ""));
  const option = field.page().getByRole("listbox", { name: "Matching keys" }).getByRole("option").filter({ has: field.page().getByText(alias, { exact: true }) });
  await option.click();
  await expect(field).toHaveValue(alias);
}
