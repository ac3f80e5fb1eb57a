// Root key migration under quorum, in Chromium: an administrator requests it on the Settings page
// (the notice says it is held and names the CLI command with --approval), another approves it on
// the Approvals page seeing the custody before → after, and it becomes approved without running.
// Then disabling a user under quorum is held, with a notice that says so.
import { expect, test } from "./fixtures";
import { content, createAdmin, keyhold, signedInAs } from "./helpers";

const PASSWORD = "e2e custody approvals password";

test("a root key migration is requested in Settings, approved, and left for the host's CLI", async ({ browser }) => {
  test.setTimeout(180_000);
  const stamp = Date.now().toString(36);
  const [alice, bob] = ["alice", "bob"].map((n) => createAdmin(`${n}-rk-${stamp}`, PASSWORD)) as [string, string];
  expect(keyhold(["approvals", "require", "--operation", "MigrateRootKey", "--approvals", "1"])).toContain("needs 1 approval(s)");
  try {
    const requester = await signedInAs(browser, alice, PASSWORD);
    await requester.goto("/settings");
    const form = content(requester).getByRole("form", { name: "Request a root key change" });
    await form.getByLabel("Target store").selectOption("shamir");
    await form.getByLabel("Custodians (N)").fill("5");
    await form.getByLabel("Threshold (M)").fill("3");
    await form.getByRole("button", { name: "Request" }).click();
    const notice = form.getByTestId("custody-request-notice");
    await expect(notice).toContainText("Held for approval");
    const requestId = (await notice.textContent())!.match(/Approval request ([0-9a-f-]{36})/)![1]!;
    await expect(notice).toContainText(`keyhold root-key migrate --to shamir --custodians 5 --threshold 3 --approval ${requestId}`);

    const approver = await signedInAs(browser, bob, PASSWORD);
    await approver.goto("/approvals");
    const card = content(approver).getByTestId(`approval-request-${requestId}`);
    await expect(card.getByTestId("change-summary-detail")).toContainText("shamir (any 3 of 5 custodians)");
    await card.getByRole("button", { name: `Approve MigrateRootKey requested by ${alice}` }).click();
    const dialog = approver.getByRole("dialog", { name: "Approve MigrateRootKey" });
    await dialog.getByLabel("Your password").fill(PASSWORD);
    await dialog.getByRole("button", { name: "Approve" }).click();
    await expect(approver.getByRole("status").filter({ hasText: "the host's operator can now run MigrateRootKey once" })).toBeVisible();
    const listed = JSON.parse(keyhold(["approvals", "list", "--status", "approved", "--json"])) as Array<{ id: string }>;
    expect(listed.map((r) => r.id)).toContain(requestId);
  } finally {
    keyhold(["approvals", "require", "--operation", "MigrateRootKey", "--off"]);
  }
});

test("disabling a user under quorum is held, and the notice says so", async ({ browser }) => {
  test.setTimeout(120_000);
  const stamp = Date.now().toString(36);
  const [alice] = ["alice", "bob"].map((n) => createAdmin(`${n}-st-${stamp}`, PASSWORD)) as [string, string];
  const dave = `dave-st-${stamp}`;
  keyhold(["user", "create", "--username", dave, "--role", "key-user", "--password-stdin"], PASSWORD);
  expect(keyhold(["approvals", "require", "--operation", "UpdateUserStatus", "--approvals", "1"])).toContain("needs 1 approval(s)");
  try {
    const requester = await signedInAs(browser, alice, PASSWORD);
    await requester.goto("/users");
    const row = content(requester).getByTestId(`user-row-${dave}`);
    await row.getByRole("button", { name: "Disable" }).click();
    await requester.getByRole("dialog", { name: `Disable ${dave}` }).getByRole("button", { name: "Disable" }).click();
    await expect(requester.getByRole("status").filter({ hasText: "Approval requested" })).toContainText("UpdateUserStatus requires 1 approval(s)");
    await expect(row).toContainText("Enabled");
  } finally {
    keyhold(["approvals", "require", "--operation", "UpdateUserStatus", "--off"]);
  }
});
