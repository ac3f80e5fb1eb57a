// Approvals through the AWS-KMS API and the operator CLI: `keyhold approvals
// require` sets a rule on the running server, a protected call made with the
// real AWS SDK answers AccessDeniedException naming the approval request,
// `keyhold approvals list --json` shows it pending with nothing changed, and
// `--off` lets the call run at once again. Deciding through the API (KeyholdApprovals.*) is
// tests/approvals/api.test.ts.
import { CreateKeyCommand, DescribeKeyCommand, KMSClient, ScheduleKeyDeletionCommand } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordSdkSecrets } from "../secret-registry";
import { makeApiUser, REGION, startApiServer, type TestServer } from "./server";

let server: TestServer;
let alice: KMSClient;

beforeAll(async () => {
  server = await startApiServer();
  const credentials = makeApiUser(server, "approvals-alice", "administrator");
  makeApiUser(server, "approvals-bob", "administrator");
  alice = recordSdkSecrets(new KMSClient({ endpoint: server.endpoint, region: REGION, credentials, maxAttempts: 1 }));
}, 120_000);

afterAll(async () => {
  server?.cli(["approvals", "require", "--operation", "ScheduleKeyDeletion", "--off"]);
  await server?.stop();
});

describe("approvals over the API", () => {
  it("holds ScheduleKeyDeletion behind a rule set from the terminal", async () => {
    const set = server.cli(["approvals", "require", "--operation", "ScheduleKeyDeletion", "--approvals", "2"]);
    expect(set.stderr).toBe("");
    expect(set.stdout).toContain("ScheduleKeyDeletion now needs 2 approval(s) from role ADMINISTRATOR");
    const rules = JSON.parse(server.cli(["approvals", "rules", "--json"]).stdout) as Array<{ operation: string; approvals: number }>;
    expect(rules).toContainEqual(expect.objectContaining({ operation: "ScheduleKeyDeletion", approvals: 2 }));

    const keyId = (await alice.send(new CreateKeyCommand({ Description: "held deletion" }))).KeyMetadata!.KeyId!;
    const error = await alice.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 })).then(
      () => undefined,
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => e,
    );
    expect(error?.name).toBe("AccessDeniedException");
    expect(error?.$metadata?.httpStatusCode).toBe(400);
    const requestId = error!.message.match(/Approval request ([0-9a-f-]{36}) was created/)?.[1];
    expect(requestId, error!.message).toBeDefined();
    expect((await alice.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState).toBe("Enabled");

    const listed = server.cli(["approvals", "list", "--status", "pending", "--json"]);
    const requests = JSON.parse(listed.stdout) as Array<{ id: string; operation: string; requester: string; status: string; approvals: number; approvalsNeeded: number; via: string }>;
    expect(requests.find((r) => r.id === requestId)).toMatchObject({ operation: "ScheduleKeyDeletion", requester: "approvals-alice", status: "pending", approvals: 0, approvalsNeeded: 2, via: "api" });

    // The host's operator sets rules but never approves: --off, and the call runs at once.
    expect(server.cli(["approvals", "require", "--operation", "ScheduleKeyDeletion", "--off"]).stdout).toContain("rule removed");
    const scheduled = await alice.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    expect(scheduled.KeyState).toBe("PendingDeletion");
  }, 120_000); // five CLI processes, each compiling its TypeScript through tsx (slow on a busy machine)

  it("refuses bad rules from the terminal with a clear message", () => {
    const bad = server.cli(["approvals", "require", "--operation", "Encrypt", "--approvals", "1"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("ValidationException: operation must be one of");
    const none = server.cli(["approvals", "require", "--operation", "DisableKey"]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("--approvals M");
  }, 60_000);
});
