// The authorization matrix (tests/policy/matrix.ts, shared with the in-process
// run in tests/policy/authorization-matrix.test.ts) through the AWS-KMS API:
// every operation, as a real SigV4-signed request (@aws-sdk/client-kms over
// HTTP) to a separately started API server, as a user of each built-in role
// and a user with no role, each with an access key made with the CLI. Allowed
// cells get anything but AccessDeniedException; denied cells get
// AccessDeniedException worded as AWS words it, and each denial is audited.
//
// The matrix's "must change password" row is left out here: that flag gates
// the console sign-in only, and API callers never hold it (lib/api/credentials.ts
// clears it; the CLI's users, made with a one-time password, do have it set).
import * as sdk from "@aws-sdk/client-kms";
import { KMSClient } from "@aws-sdk/client-kms";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "@/lib/db/client";
import { kmsOperations } from "@/lib/kms";
import { authorizationMatrix } from "../policy/matrix";
import { ADMIN_KEY, makeApiUser, REGION, startApiServer, type TestServer } from "./server";
import { decodeRecord } from "@/lib/db/audit-record-codec.mjs";

type Who = Role | "NONE";
const WHO: Who[] = ["ADMINISTRATOR", "KEY_ADMINISTRATOR", "KEY_USER", "AUDITOR", "NONE"];
const CLI_ROLE: Record<Who, string | null> = {
  ADMINISTRATOR: "administrator",
  KEY_ADMINISTRATOR: "key-administrator",
  KEY_USER: "key-user",
  AUDITOR: "auditor",
  NONE: null,
};
/** The IAM action a denial names, where it is not kms:<Operation>. */
const ACTIONS: Record<string, string[]> = { ReEncrypt: ["ReEncryptFrom", "ReEncryptTo"] };
/** Why a denial says it was denied: AWS's reasons, and RetireGrant's own (lib/kms/operations/grants.ts). */
const REASONS = [
  "because no (identity|resource)-based policy allows the kms:\\1 action",
  "with an explicit deny in an? (identity|resource)-based policy",
];
const OWN_REASONS: Record<string, string> = {
  RetireGrant: "because it is neither the retiring principal nor a grantee allowed to retire grant [0-9a-f]{64}",
};

type SdkCommand = Parameters<KMSClient["send"]>[0];
/** Any operation by name, through the SDK's command of that name. */
function send(client: KMSClient, operation: string, input: object): Promise<unknown> {
  const Command = (sdk as unknown as Record<string, new (input: object) => SdkCommand>)[`${operation}Command`];
  if (!Command) throw new Error(`@aws-sdk/client-kms has no ${operation}Command`);
  return client.send(new Command(input));
}

interface Outcome {
  name: string;
  message: string;
  requestId?: string;
}
async function outcome(p: Promise<unknown>): Promise<Outcome> {
  try {
    const out = (await p) as { $metadata?: { requestId?: string } };
    return { name: "ok", message: "", requestId: out.$metadata?.requestId };
  } catch (e) {
    const err = e as Error & { $metadata?: { requestId?: string } };
    return { name: err.name, message: err.message, requestId: err.$metadata?.requestId };
  }
}

let server: TestServer;
let admin: KMSClient;
let account: string;
const clients: KMSClient[] = [];
const callers = {} as Record<Who, { client: KMSClient; arn: string }>;
const denials: Array<{ op: string; arn: string; requestId: string }> = [];
const clientFor = (credentials: { accessKeyId: string; secretAccessKey: string }) => {
  const c = new KMSClient({ endpoint: server.endpoint, region: REGION, credentials, maxAttempts: 1 });
  clients.push(c);
  return c;
};
const { rows: MATRIX, setup } = authorizationMatrix((op, input) => send(admin, op, input));

beforeAll(async () => {
  server = await startApiServer();
  admin = clientFor(ADMIN_KEY);
  await setup();
  account = (await admin.send(new sdk.ListKeysCommand({ Limit: 1 }))).Keys![0]!.KeyArn!.split(":")[4]!;
  const stamp = Date.now().toString(36);
  for (const who of WHO) {
    const username = `matrix-${who.toLowerCase().replace(/_/g, "-")}-${stamp}`;
    callers[who] = { client: clientFor(makeApiUser(server, username, CLI_ROLE[who])), arn: `arn:aws:iam::${account}:user/${username}` };
  }
}, 120_000);
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
});

describe("authorization matrix through the API", () => {
  it("covers every operation of the key service", () => {
    expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(kmsOperations).sort());
  });

  const cells = Object.entries(MATRIX).flatMap(([op, [allowed]]) => WHO.map((who) => [op, who, (allowed as Who[]).includes(who)] as const));
  // Cells run a few at a time (vitest's maxConcurrency): each is one HTTP request plus, for some, setup requests.
  it.concurrent.for(cells)("%s as %s → allowed: %s", async ([op, who, allowed], { expect }) => {
    const input = await MATRIX[op]![1]();
    const caller = callers[who];
    const r = await outcome(send(caller.client, op, input));
    if (allowed) {
      expect(r.name, `${op} as ${who}: ${r.message}`).not.toBe("AccessDeniedException");
      return;
    }
    expect(r.name, `${op} as ${who} should be denied`).toBe("AccessDeniedException");
    const actions = (ACTIONS[op] ?? [op]).join("|");
    const arn = caller.arn.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    // AWS's wording: the resource is named for key-scoped actions and left out for account-level ones (resource "*").
    expect(r.message).toMatch(
      new RegExp(
        `^User: ${arn} is not authorized to perform: kms:(${actions})` +
          `( on resource: arn:aws:kms:${REGION}:${account}:key/[0-9a-f-]{36})?` +
          ` (${[...REASONS, ...(OWN_REASONS[op] ? [OWN_REASONS[op]] : [])].join("|")})$`,
      ),
    );
    expect(r.requestId, "x-amzn-RequestId of the denial").toBeTruthy();
    denials.push({ op, arn: caller.arn, requestId: r.requestId! });
  });
});

describe("denials through the API are audited", () => {
  it("one AccessDeniedException event per denied request, and the trail verifies", async () => {
    const expected = Object.values(MATRIX).reduce((n, [allowed]) => n + WHO.filter((w) => !(allowed as Who[]).includes(w)).length, 0);
    expect(denials).toHaveLength(expected);
    // The server's own database is reachable only when it is PostgreSQL; the
    // embedded one (a PGlite folder the running server holds) is not.
    const url = server.env.DATABASE_URL;
    if (url) {
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      try {
        // The request ID is inside the (compressed) record: decode, then pick.
        const wanted = new Set(denials.map((d) => d.requestId));
        const stored = await db.query<{ eventId: string; record: string | null; body: Uint8Array | null; event_name: string; principal_arn: string; error_code: string }>(
          `SELECT "eventId"::text AS "eventId", record, body, "eventName" AS event_name, "principalArn" AS principal_arn, "errorCode" AS error_code FROM "AuditEvent"`,
        );
        const rows = stored.rows
          .map(({ record, body, eventId, ...r }) => ({ request_id: (JSON.parse(decodeRecord({ record, body, eventId })) as { requestID: string }).requestID, ...r }))
          .filter((r) => wanted.has(r.request_id));
        const byRequest = new Map<string, (typeof rows)[number][]>();
        for (const row of rows) byRequest.set(row.request_id, [...(byRequest.get(row.request_id) ?? []), row]);
        for (const d of denials) {
          const events = byRequest.get(d.requestId) ?? [];
          expect(events, `audit events of ${d.op} denied to ${d.arn}`).toEqual([
            { request_id: d.requestId, event_name: d.op, principal_arn: d.arn, error_code: "AccessDeniedException" },
          ]);
        }
      } finally {
        await db.end();
      }
    }
    const verify = server.cli(["audit", "verify", "--json"]);
    expect(verify.status, verify.stderr || verify.stdout).toBe(0);
  });
});
