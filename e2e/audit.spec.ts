import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, DisableKeyCommand, EncryptCommand, ScheduleKeyDeletionCommand } from "@aws-sdk/client-kms";
import { expect, test, type Page } from "./fixtures";
import { E2E_ADMIN } from "../playwright.config";
import { apiClientFor, content, keyhold, signIn } from "./helpers";

const rows = (page: Page) => page.getByRole("table", { name: "Audit events" }).getByTestId("audit-event-row");

test("an auditor filters the timeline, opens an event, exports a verifiable range and sees the chain intact", async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  const auditor = { username: `auditor-${Date.now()}`, password: "auditor e2e password" };
  keyhold(["user", "create", "--username", auditor.username, "--role", "auditor", "--password-stdin"], auditor.password);

  // Activity on a key through the AWS API, with the administrator's new access key:
  // CreateKey, DescribeKey, DisableKey, then an Encrypt that fails (DisabledException).
  const { kms, dispose } = apiClientFor(E2E_ADMIN.username, baseURL!);
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: "audit e2e key" }));
  const keyId = KeyMetadata!.KeyId!;
  await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
  await kms.send(new DisableKeyCommand({ KeyId: keyId }));
  const failed = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: new Uint8Array([1, 2, 3]) })).catch((e: Error) => e);
  expect((failed as Error).name).toBe("DisabledException");
  dispose();

  // A failed sign-in (a ConsoleLogin error), then the auditor signs in.
  await signIn(page, auditor.username, "not the password");
  await expect(page.getByTestId("sign-in-error")).toBeVisible();
  await signIn(page, auditor.username, auditor.password);
  await expect(page.getByRole("heading", { name: `Welcome, ${auditor.username}` })).toBeVisible();

  await page.goto("/audit");
  await expect(page.getByRole("heading", { name: "Audit", exact: true })).toBeVisible();

  // The chain status badge: the verifier found the trail intact.
  await expect(content(page).getByTestId("chain-status")).toContainText(/Intact up to event #\d+/);
  await page.getByRole("button", { name: "Verify now" }).click();
  await expect(content(page).getByTestId("chain-status")).toContainText(/Intact up to event #\d+/);

  // The timeline, newest first, holds the failed sign-in.
  await expect(rows(page).first()).toBeVisible();
  await expect(rows(page).filter({ hasText: "ConsoleLogin" }).filter({ hasText: "AuthenticationFailed" }).first()).toBeVisible();

  // Filter by key: only that key's events.
  await page.getByLabel("Key", { exact: true }).fill(keyId);
  await expect(rows(page)).toHaveCount(4);
  const names = await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute("data-event-name")));
  expect(names).toEqual(["Encrypt", "DisableKey", "DescribeKey", "CreateKey"]);
  // The key's usage chart appears with the filter.
  await expect(content(page).getByTestId("usage-chart")).toContainText("4 calls");

  // … and by errors: the failed Encrypt alone.
  await page.getByLabel("Outcome", { exact: true }).selectOption("errors");
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("DisabledException");

  // Errors across all keys and callers include the failed sign-in.
  await page.getByLabel("Key", { exact: true }).fill("");
  await expect(rows(page).filter({ hasText: "ConsoleLogin" }).first()).toBeVisible();
  expect(await rows(page).evaluateAll((els) => els.every((e) => e.getAttribute("data-error") === "true"))).toBe(true);

  // Open an event: the dialog shows its JSON and links to the key.
  await page.getByRole("button", { name: "Clear filters" }).click();
  await page.getByLabel("Key", { exact: true }).fill(keyId);
  await expect(rows(page)).toHaveCount(4);
  await rows(page).filter({ hasText: "CreateKey" }).getByRole("button", { name: /CreateKey/ }).click();
  const dialog = page.getByRole("dialog", { name: /CreateKey event/ });
  await expect(dialog).toBeVisible();
  const json = dialog.getByLabel("Event JSON", { exact: true });
  await expect(json).toContainText('"eventName": "CreateKey"');
  await expect(json).toContainText(`key/${keyId}`);
  const record = JSON.parse((await json.textContent())!);
  expect(record).toMatchObject({ eventVersion: "1.08", eventSource: "kms.amazonaws.com", userIdentity: { userName: E2E_ADMIN.username } });
  await expect(dialog.getByRole("link", { name: keyId })).toHaveAttribute("href", `/keys/${keyId}`);
  await expect(dialog.getByRole("link", { name: E2E_ADMIN.username })).toHaveAttribute("href", /\/audit\?principal=arn/);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // Export the last 24 hours as JSON Lines; the file verifies outside Keyhold.
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const exportDialog = page.getByRole("dialog", { name: "Export audit events" });
  await exportDialog.getByLabel("Format").selectOption("jsonl");
  const downloading = page.waitForEvent("download");
  await exportDialog.getByRole("button", { name: "Download" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^keyhold-audit-.*\.jsonl$/);
  const file = test.info().outputPath("audit.jsonl");
  await download.saveAs(file);
  const lines = readFileSync(file, "utf8").trim().split("\n");
  expect(lines.some((l) => l.includes('"eventName":"CreateKey"') && l.includes(keyId))).toBe(true);
  expect(lines.at(-1)).toMatch(/^\{"publicKeys":\[/);
  const verified = spawnSync(process.execPath, ["scripts/verify-audit-export.mjs", file], { encoding: "utf8" });
  expect(verified.stdout + verified.stderr).toMatch(/^OK: /);
  expect(verified.status).toBe(0);
  await expect(exportDialog).toBeHidden();

  // CSV of the same range.
  await page.getByRole("button", { name: "Export", exact: true }).click();
  await exportDialog.getByLabel("Format").selectOption("csv");
  const csvDownloading = page.waitForEvent("download");
  await exportDialog.getByRole("button", { name: "Download" }).click();
  const csv = await csvDownloading;
  expect(csv.suggestedFilename()).toMatch(/\.csv$/);
  const csvFile = test.info().outputPath("audit.csv");
  await csv.saveAs(csvFile);
  expect(readFileSync(csvFile, "utf8").split("\r\n")[0]).toBe(
    "eventTime,eventName,eventSource,userName,userArn,sourceIPAddress,errorCode,keyId,readOnly,eventID,chainId,chainSeq,hash",
  );

  // The audit-signing public key.
  const keyDownloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download signing public key" }).click();
  const pem = await keyDownloading;
  const pemFile = test.info().outputPath("audit-signing.pem");
  await pem.saveAs(pemFile);
  expect(readFileSync(pemFile, "utf8")).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
});

test.describe("who used a key, by alias", () => {
  // A fixed zone, so local times read "CET" and the UTC toggle is visible in the text.
  test.use({ timezoneId: "Europe/Berlin" });

  test("an auditor finds a key by alias, sees who used it and what was denied, hides page views and switches to UTC", async ({ page, baseURL }) => {
    test.setTimeout(90_000);
    const stamp = Date.now();
    const auditor = { username: `auditor2-${stamp}`, password: "auditor e2e password" };
    const keyUser = { username: `keyuser2-${stamp}`, password: "key user e2e password" };
    keyhold(["user", "create", "--username", auditor.username, "--role", "auditor", "--password-stdin"], auditor.password);
    keyhold(["user", "create", "--username", keyUser.username, "--role", "key-user", "--password-stdin"], keyUser.password);
    const alias = `alias/e2e-payments-${stamp}`;

    // The administrator creates a key with an alias and uses it twice; a key user may not delete it (denied).
    const admin = apiClientFor(E2E_ADMIN.username, baseURL!);
    const { KeyMetadata } = await admin.kms.send(new CreateKeyCommand({ Description: "who-used-it key" }));
    const keyId = KeyMetadata!.KeyId!;
    await admin.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
    await admin.kms.send(new EncryptCommand({ KeyId: alias, Plaintext: new Uint8Array([1]) }));
    await admin.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: new Uint8Array([2]) }));
    admin.dispose();
    const user = apiClientFor(keyUser.username, baseURL!);
    const denied = await user.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 })).catch((e: Error) => e);
    expect((denied as Error).name).toBe("AccessDeniedException");
    user.dispose();

    await signIn(page, auditor.username, auditor.password);
    await expect(page.getByRole("heading", { name: `Welcome, ${auditor.username}` })).toBeVisible();
    await page.goto("/audit");
    await expect(rows(page).first()).toBeVisible();

    // The auditor's own page reads are hidden by default; the toggle shows them.
    await expect(rows(page).filter({ hasText: "LookupEvents" })).toHaveCount(0);
    await page.getByLabel(/Show console page views/).check();
    await expect(rows(page).filter({ hasText: "LookupEvents" }).first()).toBeVisible();
    await expect(rows(page).filter({ hasText: "LookupEvents" }).first()).toContainText("console view");
    await page.getByLabel(/Show console page views/).uncheck();
    await expect(rows(page).filter({ hasText: "LookupEvents" })).toHaveCount(0);

    // Key filter: typing part of the alias suggests it; the alias filters like the key ID.
    const keyField = page.getByLabel("Key", { exact: true });
    await keyField.fill(`e2e-payments-${stamp}`);
    await expect(page.getByTestId("key-suggestions").locator(`option[value="${alias}"]`)).toHaveCount(1);
    await keyField.fill(alias);
    await expect(rows(page)).toHaveCount(5);
    const names = await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute("data-event-name")));
    expect(names).toEqual(["ScheduleKeyDeletion", "Encrypt", "Encrypt", "CreateAlias", "CreateKey"]);
    // Rows name the key by its alias next to the ID, and Encrypt is data access, not a "read".
    await expect(rows(page).first()).toContainText(alias);
    await expect(rows(page).first()).toContainText(keyId);
    await expect(rows(page).filter({ hasText: "CreateKey" })).toContainText("change");
    await expect(rows(page).filter({ hasText: "Encrypt" }).first()).toContainText("data access");

    // One screen answers "who used it, and was anything denied?".
    const summary = page.getByTestId("audit-summary");
    await expect(summary).toContainText("1 denied");
    const deniedRow = summary.getByTestId("audit-summary-row").filter({ hasText: keyUser.username });
    await expect(deniedRow).toHaveAttribute("data-outcome", "denied");
    await expect(deniedRow.getByRole("cell").nth(2)).toHaveText("1");
    const allowedRow = summary.getByTestId("audit-summary-row").filter({ hasText: E2E_ADMIN.username });
    await expect(allowedRow).toHaveAttribute("data-outcome", "allowed");
    await expect(allowedRow.getByRole("cell").nth(2)).toHaveText("4");

    // Outcome: denied separates AccessDenied from other errors.
    await page.getByLabel("Outcome", { exact: true }).selectOption("denied");
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText("AccessDeniedException");
    await expect(rows(page).first()).toContainText("ScheduleKeyDeletion");
    await page.getByLabel("Outcome", { exact: true }).selectOption("failed");
    await expect(page.getByText("No events match these filters.")).toBeVisible();
    await page.getByLabel("Outcome", { exact: true }).selectOption("any");

    // Principal autocomplete offers usernames.
    await page.getByLabel("Principal", { exact: true }).fill(`keyuser2-${stamp}`.slice(0, 14));
    await expect(page.getByTestId("principal-suggestions").locator(`option[value="${keyUser.username}"]`)).toHaveCount(1);
    await page.getByLabel("Principal", { exact: true }).fill("");

    // Dates carry their zone; the UTC toggle switches them and is remembered.
    const time = rows(page).first().locator("time");
    await expect(time).toContainText(/CET|CEST|GMT\+\d/);
    await page.getByLabel("Show times in UTC").check();
    await expect(time).toContainText("UTC");
    await page.reload();
    // Inside <main>: while the page streams, a hidden copy of it can sit at the end of <body>.
    await expect(content(page).getByLabel("Show times in UTC")).toBeChecked();
    await expect(rows(page).first().locator("time")).toContainText("UTC");
  });
});

test("the audit trail is closed to key users and to signed-out visitors", async ({ page }) => {
  const user = { username: `keyuser-${Date.now()}`, password: "key user e2e password" };
  keyhold(["user", "create", "--username", user.username, "--role", "key-user", "--password-stdin"], user.password);
  const signedOut = await page.request.get("/api/audit/events");
  expect(signedOut.status()).toBe(401);
  await signIn(page, user.username, user.password);
  await expect(page.getByRole("heading", { name: `Welcome, ${user.username}` })).toBeVisible();
  await page.goto("/audit");
  await expect(page.getByRole("main").getByTestId("forbidden")).toContainText("Access denied");
  for (const path of ["/api/audit/events", "/api/audit/verify", "/api/audit/export?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z&format=jsonl"]) {
    const res = await page.request.get(path);
    expect(res.status(), path).toBe(403);
    expect((await res.json()).__type).toBe("AccessDeniedException");
  }
});
