// The Unseal page and the Seal-now action, in Chromium, on a Shamir-sealed Keyhold of this spec's own
// (a second `npm start` on its own data folder and port, after `keyhold init`).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "./fixtures";
import { content, signIn } from "./helpers";

const port = Number(process.env.E2E_PORT ?? 3100) + 1;
const baseURL = `http://localhost:${port}`;
const admin = { username: "custodian-admin", password: "unseal e2e password" };
const dataDir = mkdtempSync(join(tmpdir(), "keyhold-e2e-unseal-"));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PORT: String(port),
  HOST: "127.0.0.1",
  KEYHOLD_DATA_DIR: dataDir,
  NEXTAUTH_URL: baseURL,
  KEYHOLD_ADMIN_USER: admin.username,
  KEYHOLD_ADMIN_PASSWORD: admin.password,
  LOG_LEVEL: "warn",
};
delete env.DATABASE_URL; // the embedded database in this spec's data folder
let server: ChildProcess | undefined;
let shares: string[] = [];

test.use({ baseURL });
test.describe.configure({ mode: "serial", timeout: 180_000 });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const init = spawnSync(process.execPath, ["bin/keyhold.mjs", "init", "--custodians", "3", "--threshold", "2", "--json"], { env, encoding: "utf8" });
  expect(init.status, init.stderr).toBe(0);
  shares = (JSON.parse(init.stdout) as { shares: string[] }).shares;
  server = spawn(process.execPath, ["scripts/start.mjs"], { env, stdio: ["ignore", "ignore", "inherit"] });
  for (let i = 0; ; i++) {
    const r = await fetch(`${baseURL}/readyz`).catch(() => undefined);
    if (r && r.status === 503 && ((await r.json()) as { status: string }).status === "sealed") break;
    if (i > 600 || server.exitCode !== null) throw new Error("the sealed server did not start");
    await new Promise((res) => setTimeout(res, 250));
  }
});

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once("exit", r));
    server.kill("SIGTERM");
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

test("custodians unseal Keyhold share by share; refusals are shown; an administrator seals it again", async ({ page }) => {
  // Sign-in needs the database only: it works while sealed.
  await signIn(page, admin.username, admin.password);
  await expect(page.getByTestId("signed-in-user")).toContainText(admin.username);
  await page.goto("/settings");
  const card = content(page).getByTestId("root-key-custody");
  await expect(card.getByText("Sealed", { exact: true })).toBeVisible();
  await expect(card).toContainText("0 of 2 unseal shares entered");
  await card.getByRole("link", { name: "Unseal" }).click();
  await expect(page).toHaveURL(/\/unseal$/);
  await expect(content(page).getByRole("heading", { name: "Unseal Keyhold" })).toBeVisible();
  expect((await new AxeBuilder({ page }).include("main").analyze()).violations).toEqual([]);

  const shareField = content(page).getByLabel("Unseal share");
  const enter = async (share: string) => {
    await shareField.fill(share);
    await content(page).getByRole("button", { name: "Enter share" }).click();
  };
  await enter(`khs1-${randomBytes(50).toString("base64url")}`);
  await expect(content(page).getByRole("alert")).toContainText("not a Keyhold unseal share");
  await enter(shares[1]);
  await expect(content(page).getByText("1 of 2 shares entered")).toBeVisible();
  await expect(shareField).toHaveValue(""); // the share does not stay in the page
  await enter(shares[1]);
  await expect(content(page).getByRole("alert")).toContainText("already entered");
  await enter(shares[2]);
  await expect(content(page).getByRole("status").filter({ hasText: "Keyhold is unsealed" })).toBeVisible();
  expect((await fetch(`${baseURL}/readyz`)).status).toBe(200);

  await page.goto("/settings");
  await expect(card.getByText("Unsealed", { exact: true })).toBeVisible();
  await expect(card).toContainText("any 2 of 3");
  await card.getByRole("button", { name: "Seal now" }).click();
  const dialog = page.getByRole("dialog", { name: "Seal Keyhold now?" });
  await dialog.getByLabel("Type SEAL to confirm").fill("SEAL");
  await dialog.getByRole("button", { name: "Seal now" }).click();
  await expect(card.getByText("Sealed", { exact: true })).toBeVisible();
  const ready = (await (await fetch(`${baseURL}/readyz`)).json()) as { status: string };
  expect(ready.status).toBe("sealed");
});
