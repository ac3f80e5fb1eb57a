// Approving through the API, end to end: a real API server process on this
// run's database, users with access keys of their own, the real AWS SDK for
// the protected KMS call, and SigV4-signed KeyholdApprovals.* calls for the
// decisions. Two of three approve a deletion; the requester never counts; an
// approver decides once; an approver with MFA must send a current TOTP code;
// two last approvals at once execute the request once; every call is audited.
import { spawnSync } from "node:child_process";
import { CreateKeyCommand, DescribeKeyCommand, KMSClient, ScheduleKeyDeletionCommand } from "@aws-sdk/client-kms";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccessKey } from "@/lib/accounts/access-keys";
import { beginTotpEnrolment, confirmTotpEnrolment } from "@/lib/accounts/mfa-factors";
import { updateApprovalRule } from "@/lib/approvals";
import type { Principal } from "@/lib/auth/principal";
import { prisma, type Role } from "@/lib/db/client";
import { messages } from "@/lib/errors/messages";
import { startApiServer, REGION, type TestServer } from "../compat/server";
import { makeUser, operator } from "../helpers";
import { recordSdkSecrets, recordSecret } from "../secret-registry";
import { auditEvents } from "../support/audit-rows";
import { approvalsCall, type ApiAnswer, type Credentials } from "./api-client";
import { heldId, retireAdministratorsAfterFile } from "./support";

interface Approver {
  principal: Principal;
  key: Credentials;
}

// The server shares this run's database and data folder (its root key), so the test can enrol a
// second factor for an API user through the service layer. The embedded database takes one session.
const embedded = process.env.DB_POOL_MAX === "1";
let server: TestServer;
let alice: Approver, bob: Approver, carol: Approver, dave: Approver, erin: Approver;
let carolTotp: string;

async function approver(role: Role = "ADMINISTRATOR"): Promise<Approver> {
  const { principal } = await makeUser(role);
  const created = await createAccessKey(await operator(), { username: principal.username });
  recordSecret(created.SecretAccessKey, `access key secret of ${principal.username}`);
  return { principal, key: { accessKeyId: created.AccessKeyId, secretAccessKey: created.SecretAccessKey } };
}

const codeAt = (secret: string, offset = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offset });

const call = (who: Approver, operation: string, input: unknown) => approvalsCall(server.endpoint, who.key, operation, input);
const kms = (who: Approver) => recordSdkSecrets(new KMSClient({ endpoint: server.endpoint, region: REGION, credentials: who.key, maxAttempts: 1 }));

/** alice asks to delete a new key; the API answers AccessDeniedException naming the request. */
async function heldDeletion(requester: Approver = alice): Promise<{ keyId: string; requestId: string }> {
  const client = kms(requester);
  const keyId = (await client.send(new CreateKeyCommand({ Description: "deletion under quorum" }))).KeyMetadata!.KeyId!;
  const requestId = await heldId(client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 })));
  return { keyId, requestId };
}

const keyState = async (who: Approver, keyId: string) => (await kms(who).send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState;

function expectError(answer: ApiAnswer, type: string, message?: string | RegExp) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  expect(answer.body.__type).toBe(type);
  if (typeof message === "string") expect(answer.body.message).toBe(message);
  else if (message) expect(answer.body.message).toMatch(message);
}

/** The request's events as [name, error] with where they came from, in order. */
async function events(requestId: string) {
  const rows = await auditEvents({ orderBy: { id: "asc" } }, requestId);
  return rows.map((r) => {
    const record = JSON.parse(r.record) as { userIdentity?: { accessKeyId?: string; userName?: string }; additionalEventData?: { via?: string } };
    return { name: r.eventName, error: r.errorCode, via: record.additionalEventData?.via, user: record.userIdentity?.userName, accessKeyId: record.userIdentity?.accessKeyId, text: r.record };
  });
}

retireAdministratorsAfterFile();
beforeAll(async () => {
  if (embedded) return;
  [alice, bob, carol, dave, erin] = await Promise.all([approver(), approver(), approver(), approver(), approver()]);
  const begun = await beginTotpEnrolment(carol.principal, { name: "phone" });
  carolTotp = begun.secret;
  recordSecret(begun.secret, "TOTP secret of an API approver");
  recordSecret(begun.uri, "TOTP URI of an API approver");
  const confirmed = await confirmTotpEnrolment(carol.principal, { factorId: begun.factorId, code: await codeAt(begun.secret) });
  for (const c of confirmed.recoveryCodes ?? []) recordSecret(c, "recovery code");
  await updateApprovalRule(await operator(), { operation: "ScheduleKeyDeletion", approvals: 2 });
  // No bootstrap key: this database has users already, and no "admin" among them.
  const noBootstrap = { KEYHOLD_BOOTSTRAP_ACCESS_KEY_ID: "", KEYHOLD_BOOTSTRAP_SECRET_ACCESS_KEY: "" };
  server = await startApiServer({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.KEYHOLD_DATA_DIR, env: noBootstrap });
}, 120_000);

afterAll(async () => {
  if (embedded) return;
  await prisma.approvalRule.deleteMany();
  await server?.stop({ keepDataDir: true }); // the run's data folder, removed by the global teardown
});

describe.skipIf(embedded)("approving through the API", () => {
  it("two of three approve a key deletion; the requester, a second decision and a missing MFA code are refused", async () => {
    const { keyId, requestId } = await heldDeletion();

    // The requester never counts.
    expectError(await call(alice, "ApproveRequest", { RequestId: requestId, Reason: "mine" }), "AccessDeniedException", /requester never counts/);

    const listed = await call(bob, "ListApprovalRequests", { Status: "pending" });
    expect(listed.status).toBe(200);
    const mine = (listed.body.ApprovalRequests as Array<Record<string, unknown>>).find((r) => r.RequestId === requestId);
    expect(mine).toMatchObject({ Operation: "ScheduleKeyDeletion", Requester: alice.principal.username, Status: "pending", Approvals: 0, ApprovalsNeeded: 2, CanDecide: true, Via: "api" });
    expect(typeof mine!.ExpirationDate).toBe("number"); // epoch seconds, as AWS JSON 1.1 dates

    const first = await call(bob, "ApproveRequest", { RequestId: requestId, Reason: "planned retirement" });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ RequestId: requestId, Status: "pending", Approvals: 1, ApprovalsNeeded: 2, Executed: false });
    expect(await keyState(alice, keyId)).toBe("Enabled");

    // An approver decides once.
    expectError(await call(bob, "ApproveRequest", { RequestId: requestId }), "KMSInvalidStateException", /already decided/);

    // carol has MFA: no code, or a wrong one, is refused (and changes nothing).
    expectError(await call(carol, "ApproveRequest", { RequestId: requestId }), "AccessDeniedException", messages.approvalMfaCodeRequired);
    const wrong = String((Number(await codeAt(carolTotp, 30)) + 1) % 1_000_000).padStart(6, "0");
    expectError(await call(carol, "ApproveRequest", { RequestId: requestId, MfaCode: wrong }), "AccessDeniedException", messages.approvalMfaCodeRejected);
    expect((await call(carol, "GetApprovalRequest", { RequestId: requestId })).body.ApprovalRequest).toMatchObject({ Status: "pending", Approvals: 1 });

    // The second approval, with a current code, runs the deletion and says so.
    const code = await codeAt(carolTotp, 30);
    const second = await call(carol, "ApproveRequest", { RequestId: requestId, Reason: "agreed", MfaCode: code });
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body).toMatchObject({ RequestId: requestId, Status: "executed", Approvals: 2, ApprovalsNeeded: 2, Executed: true, Outcome: { Succeeded: true, Response: { KeyState: "PendingDeletion" } } });
    expect(await keyState(alice, keyId)).toBe("PendingDeletion");
    // A code is good once.
    expectError(await call(carol, "ApproveRequest", { RequestId: requestId, MfaCode: code }), "AccessDeniedException", messages.approvalMfaCodeRejected);
    expectError(await call(erin, "ApproveRequest", { RequestId: requestId }), "KMSInvalidStateException", /already executed/);

    const got = await call(alice, "GetApprovalRequest", { RequestId: requestId });
    expect(got.body.ApprovalRequest).toMatchObject({
      RequestId: requestId,
      Status: "executed",
      Decisions: [
        { Username: bob.principal.username, Decision: "approve", Reason: "planned retirement" },
        { Username: carol.principal.username, Decision: "approve", Reason: "agreed" },
      ],
    });

    // Every call is an event of the request, allowed or refused, made through the API with the caller's key;
    // the deletion names its approvers; no code is ever recorded.
    const recorded = await events(requestId);
    const decisions = recorded.filter((e) => e.name === "ApproveApprovalRequest");
    expect(decisions.map((e) => [e.user, e.error])).toEqual([
      [alice.principal.username, "AccessDeniedException"],
      [bob.principal.username, null],
      [bob.principal.username, "KMSInvalidStateException"],
      [carol.principal.username, "AccessDeniedException"],
      [carol.principal.username, "AccessDeniedException"],
      [carol.principal.username, null],
      [carol.principal.username, "AccessDeniedException"],
      [erin.principal.username, "KMSInvalidStateException"],
    ]);
    expect(decisions.every((e) => e.via === "api")).toBe(true);
    expect(decisions[1]!.accessKeyId).toBe(bob.key.accessKeyId);
    expect(recorded.filter((e) => e.name === "GetApprovalRequest").map((e) => [e.user, e.via])).toEqual([
      [carol.principal.username, "api"],
      [alice.principal.username, "api"],
    ]);
    const executed = recorded.filter((e) => e.name === "ScheduleKeyDeletion" && e.error === null);
    expect(executed).toHaveLength(1);
    expect(executed[0]!.text).toContain(bob.principal.username);
    expect(executed[0]!.text).toContain(carol.principal.username);
    for (const e of recorded) {
      expect(e.text).not.toContain(code);
      expect(e.text).not.toContain(wrong);
    }
    const listedEvents = await auditEvents({ where: { eventName: "ListApprovalRequests", principalArn: bob.principal.arn } });
    expect(listedEvents.some((e) => e.record.includes('"via":"api"'))).toBe(true);
  });

  it("rejects with a reason; the key is left as it was", async () => {
    const { keyId, requestId } = await heldDeletion();
    expectError(await call(dave, "RejectRequest", { RequestId: requestId }), "ValidationException", /rejection needs a reason/);
    expectError(await call(dave, "RejectRequest", { RequestId: requestId, Reason: 42 }), "ValidationException", /reason must be a string/);
    const rejected = await call(dave, "RejectRequest", { RequestId: requestId, Reason: "still in use by billing" });
    expect(rejected.body).toEqual({ RequestId: requestId, Status: "rejected", Approvals: 0, ApprovalsNeeded: 2, Executed: false });
    expectError(await call(erin, "ApproveRequest", { RequestId: requestId }), "KMSInvalidStateException", /already rejected/);
    expect(await keyState(alice, keyId)).toBe("Enabled");
    const listed = await call(erin, "ListApprovalRequests", { Status: "rejected" });
    expect((listed.body.ApprovalRequests as Array<{ RequestId: string; Decisions: unknown[] }>).find((r) => r.RequestId === requestId)?.Decisions).toMatchObject([
      { Username: dave.principal.username, Decision: "reject", Reason: "still in use by billing" },
    ]);
  });

  it("two last approvals at once execute the request once", async () => {
    const { keyId, requestId } = await heldDeletion(dave);
    expect((await call(erin, "ApproveRequest", { RequestId: requestId })).body).toMatchObject({ Status: "pending", Approvals: 1 });
    const answers = await Promise.all([alice, bob].map((who) => call(who, "ApproveRequest", { RequestId: requestId, Reason: "at once" })));
    const ok = answers.filter((a) => a.status === 200);
    expect(ok.map((a) => a.body.Status)).toEqual(["executed"]);
    const refused = answers.find((a) => a.status !== 200)!;
    expectError(refused, "KMSInvalidStateException", /already executed/);
    expect(await keyState(dave, keyId)).toBe("PendingDeletion");
    expect((await events(requestId)).filter((e) => e.name === "ScheduleKeyDeletion" && e.error === null)).toHaveLength(1);
  });

  it("the keyhold CLI decides as a user, signed with their access key, never as the host's operator", async () => {
    const { keyId, requestId } = await heldDeletion(erin);
    const keyhold = (args: string[], who?: Approver) => {
      const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, AWS_SESSION_TOKEN: _token, ...env } = server.env;
      const credentials = who ? { AWS_ACCESS_KEY_ID: who.key.accessKeyId, AWS_SECRET_ACCESS_KEY: who.key.secretAccessKey } : {};
      return spawnSync(process.execPath, ["bin/keyhold.mjs", "approvals", ...args], { env: { ...env, ...credentials }, encoding: "utf8" });
    };
    const operatorOnly = keyhold(["approve", requestId]);
    expect(operatorOnly.status).toBe(1);
    expect(operatorOnly.stderr).toContain("MissingCredentials: Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to your own access key");
    const noCode = keyhold(["approve", requestId, "--reason", "ok"], carol);
    expect(noCode.status).toBe(1);
    expect(noCode.stderr).toContain(`AccessDeniedException: ${messages.approvalMfaCodeRequired}`);
    const first = keyhold(["approve", requestId, "--reason", "ok", "--endpoint-url", server.endpoint], dave);
    expect(first.stderr).toBe("");
    expect(first.stdout).toContain(`OK: ${requestId} pending (1/2 approvals)`);
    const second = keyhold(["approve", requestId, "--reason", "ok too"], bob);
    expect(second.stdout).toContain(`OK: ${requestId} approved 2/2: executed`);
    expect(await keyState(erin, keyId)).toBe("PendingDeletion");
  }, 300_000); // four CLI processes, each compiling its TypeScript through tsx (~25 s each on a busy machine)

  it("answers bad input and unknown requests or operations with AWS-style errors", async () => {
    expectError(await call(bob, "GetApprovalRequest", {}), "ValidationException", messages.approvalRequestIdInvalid);
    expectError(await call(bob, "ApproveRequest", { RequestId: "not-a-uuid" }), "ValidationException", /approval request ID/);
    const missing = "00000000-0000-4000-8000-000000000000";
    expectError(await call(bob, "GetApprovalRequest", { RequestId: missing }), "NotFoundException", messages.approvalRequestNotFound(missing));
    expectError(await call(bob, "ApproveRequest", { RequestId: missing }), "NotFoundException");
    expectError(await call(bob, "ListApprovalRequests", { Status: "sideways" }), "ValidationException", /status must be one of/);
    expectError(await call(bob, "DeleteApprovalRequest", { RequestId: missing }), "UnknownOperationException");
  });

  it("a user of another role neither sees nor decides an administrators' request", async () => {
    const { requestId } = await heldDeletion();
    const keyUser = await approver("KEY_USER");
    expectError(await call(keyUser, "GetApprovalRequest", { RequestId: requestId }), "AccessDeniedException", messages.approvalRequestNotVisible(requestId));
    const listed = await call(keyUser, "ListApprovalRequests", {});
    expect((listed.body.ApprovalRequests as Array<{ RequestId: string }>).map((r) => r.RequestId)).not.toContain(requestId);
    expectError(await call(keyUser, "ApproveRequest", { RequestId: requestId }), "AccessDeniedException", /Only users with role ADMINISTRATOR/);
    const refusals = (await events(requestId)).filter((e) => e.user === keyUser.principal.username).map((e) => [e.name, e.error]);
    expect(refusals).toEqual([
      ["GetApprovalRequest", "AccessDeniedException"],
      ["ApproveApprovalRequest", "AccessDeniedException"],
    ]);
  });
});
