// The `keyhold` operator CLI. Subcommands map to operator commands
// (lib/operator/commands.ts); this file only parses arguments and prints.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, parseConfig } from "@/lib/config";
import { parseRoleName } from "@/lib/access/authorize";
import { send } from "./transport";

const USAGE = `Usage: keyhold <command> [options]

Commands:
  status                                   database, migrations, users, version
  user list                                list users
  user create --username NAME [--role ROLE] [--password-stdin | --service-account]
                                           create a user (no role: may do nothing until given one);
                                           without --password-stdin a one-time password is generated
  user tag --username NAME [--tag KEY=VALUE ...]
                                           replace the user's tags (aws:PrincipalTag/KEY in policies); none clears them
  user reset-password --username NAME [--password-stdin]
                                           set a new password (the user must change it at next sign-in)
  user set-role --username NAME --role ROLE|none
  user unlock --username NAME              clear a sign-in lockout
  audit verify                             check the audit trail's hash chains and signed digests
  audit purge --before DATE                purge events signed before DATE (ISO 8601; not the last 30 days),
                                           each chain up to a signed digest (see KEYHOLD_AUDIT_RETENTION_DAYS)
                                           (exit 0 when intact, 1 otherwise)
  access-key create --user NAME [--json]   new API access key (the secret is shown only now)
  access-key list [--user NAME]
  access-key deactivate|activate|delete --access-key-id ID
  key cancel-deletion KEY-ID               break-glass: cancel a key's scheduled deletion, whatever its policy
  key reset-policy KEY-ID                  break-glass: reset a key's policy to the default (account root)
  approvals require --operation OP --approvals M [--role ROLE] [--ttl-hours H]
                                           M approvals (from users with ROLE, default administrator; the
                                           requester never counts) before OP runs; requests expire after H
                                           hours (default 24)
  approvals require --operation OP --off   remove the rule for OP
  approvals rules                          list the approval rules
  approvals list [--status S]              list approval requests (pending, approved, executed, failed, rejected, expired)
  approvals approve|reject REQUEST-ID [--reason TEXT] [--mfa-code CODE] [--endpoint-url URL]
                                           decide a request as a user, through the API, signed with the access
                                           key in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (never the operator);
                                           --mfa-code: a current authenticator code, required when you have MFA;
                                           endpoint default http://127.0.0.1:KEYHOLD_API_PORT
  backup --out FILE [--passphrase-stdin]   encrypted, consistent archive of the database (under the root key,
                                           or a passphrase); works while the server runs
  restore FILE [--passphrase-stdin]        restore an archive into a new, empty database (server stopped)
  init --custodians N --threshold M [--share-dir DIR]
                                           Shamir-seal the root key (server stopped): N shares, any M unseal;
                                           each printed once, or written to DIR/custodian-<i>.share (0600)
  unseal                                   enter one custodian's share (read from stdin) into the running server
  root-key status                          root key store kind, sealed or not, M of N, HSM token
  root-key seal                            seal now: the running server forgets the root key until unsealed
  root-key rekey --custodians N --threshold M [--share-dir DIR] [--approval ID]
                                           new shares for the same root key (unsealed server); old ones stop working
  root-key migrate --to local|shamir|pkcs11 [--custodians N --threshold M] [--share-dir DIR] [--unseal-shares-stdin] [--approval ID]
                                           re-wrap everything under a new root key in another store (server stopped;
                                           resumable: run it again after an interruption); from a Shamir-sealed
                                           root key, give M current shares on stdin, one per line
                                           Under an approval rule (approvals require --operation MigrateRootKey or
                                           RekeyRootKey), both need --approval ID: an approved request for the same
                                           target, made in the console (Settings → Root key custody); used once
  demo seed                                demo keys (every kind, aliases, tags), users of each role and a week
                                           of traffic with denied calls, through the audited service; idempotent

Roles: administrator, key-administrator, key-user, auditor
Options: --json  print the result as JSON
Environment: KEYHOLD_DATA_DIR, DATABASE_URL (as for the server)`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

class UsageError extends Error {}

function roleOption(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === "none") return null;
  const role = parseRoleName(value);
  if (!role) throw new UsageError(`Unknown role "${value}". Roles: administrator, key-administrator, key-user, auditor`);
  return role;
}

function print(command: string, result: unknown, json: boolean) {
  if (json) return console.log(JSON.stringify(result, null, 2));
  const r = result as Record<string, unknown>;
  switch (command) {
    case "status": {
      const db = r.database as { kind: string; reachable: boolean; migrations: { applied: number; expected: number; pending: string[] } };
      console.log(`Keyhold ${r.version}`);
      console.log(`Account:    ${r.accountId} (${r.region})`);
      console.log(`Database:   ${db.kind}, ${db.reachable ? "reachable" : "UNREACHABLE"}`);
      console.log(
        `Migrations: ${db.migrations.applied}/${db.migrations.expected} applied${db.migrations.pending.length ? ` (pending: ${db.migrations.pending.join(", ")})` : ""}`,
      );
      console.log(`Users:      ${r.users ?? "unknown"}`);
      return;
    }
    case "user.list":
      for (const u of result as Array<Record<string, unknown>>) {
        const flags = [
          u.disabled ? "disabled" : "enabled",
          u.serviceAccount ? "service-account" : "",
          u.locked ? "locked" : "",
          u.mustChangePassword ? "must-change-password" : "",
        ].filter(Boolean);
        const tags = Object.entries((u.tags ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`);
        console.log(`${String(u.username).padEnd(24)} ${String(u.role ?? "(no role)").padEnd(18)} ${flags.join(",")}${tags.length ? `  tags: ${tags.join(",")}` : ""}`);
      }
      return;
    case "user.create":
    case "user.reset-password": {
      const user = r.user as { username: string; role: string | null; serviceAccount?: boolean };
      const what = user.serviceAccount ? "service account" : "user";
      console.log(command === "user.create" ? `Created ${what} ${user.username} (${user.role ?? "no role"})` : `Password of ${user.username} reset`);
      if (user.serviceAccount) console.log(`Give it an API access key: keyhold access-key create --user ${user.username} --json`);
      if (r.generatedPassword) {
        console.log(`One-time password (shown only now; must be changed at first sign-in): ${r.generatedPassword}`);
      }
      return;
    }
    case "audit.verify": {
      const report = r as unknown as { ok: boolean; events: number; chains: Array<{ chainId: string; events: number; intactUpTo: number; digests: number }>; firstProblem?: { chainId: string; message: string; eventId?: string } };
      for (const c of report.chains) console.log(`chain ${c.chainId}: ${c.events} events, intact up to event #${c.intactUpTo}, ${c.digests} signed digests`);
      if (report.ok) console.log(`Audit trail intact: ${report.events} events in ${report.chains.length} chains.`);
      else console.log(`AUDIT TRAIL TAMPERED: chain ${report.firstProblem!.chainId}: ${report.firstProblem!.message}${report.firstProblem!.eventId ? ` (eventID ${report.firstProblem!.eventId})` : ""}`);
      return;
    }
    case "audit.purge": {
      const { purged } = r as unknown as { purged: Array<{ chainId: string; throughSeq: number; events: number }> };
      for (const p of purged) console.log(`chain ${p.chainId}: ${p.events} events purged, through event #${p.throughSeq}`);
      console.log(purged.length ? "Purged; the remaining trail verifies from each chain's signed digest." : "Nothing to purge before that date.");
      return;
    }
    case "demo.seed": {
      const d = r as unknown as { keysCreated: number; keysPresent: number; trafficCalls: number; usersCreated: Array<{ username: string; role: string; generatedPassword?: string }> };
      console.log(`Demo keys: ${d.keysCreated} created, ${d.keysPresent - d.keysCreated} already there. Demo calls made: ${d.trafficCalls}.`);
      for (const u of d.usersCreated) console.log(`Created demo service account ${u.username} (${u.role})`);
      if (d.usersCreated.length === 0) console.log("Demo users already exist.");
      return;
    }
    case "access-key.create":
      console.log(`Access key for ${r.UserName}:`);
      console.log(`  AccessKeyId:     ${r.AccessKeyId}`);
      console.log(`  SecretAccessKey: ${r.SecretAccessKey}   (shown only now; store it safely)`);
      return;
    case "access-key.list":
      for (const k of result as Array<Record<string, unknown>>) {
        console.log(`${k.AccessKeyId}  ${String(k.UserName).padEnd(24)} ${String(k.Status).padEnd(9)} last used ${k.LastUsedDate ?? "never"}`);
      }
      return;
    case "key.cancel-deletion":
    case "key.reset-policy":
      console.log(`OK: ${String(r.KeyId)} ${command === "key.reset-policy" ? "has the default key policy" : "is no longer pending deletion (Disabled)"}`);
      return;
    case "approvals.require": {
      const rule = (r as { rule: { operation: string; approvals: number; approverRole: string; ttlSeconds: number } | null }).rule;
      console.log(rule ? `OK: ${rule.operation} now needs ${rule.approvals} approval(s) from role ${rule.approverRole}; requests expire after ${rule.ttlSeconds / 3600} h` : "OK: rule removed");
      return;
    }
    case "approvals.rules":
      for (const x of result as Array<Record<string, unknown>>) console.log(`${String(x.operation).padEnd(28)} ${x.approvals} approval(s) from ${x.approverRole}, expire after ${Number(x.ttlSeconds) / 3600} h`);
      if ((result as unknown[]).length === 0) console.log("No approval rules: quorum is off.");
      return;
    case "approvals.list":
      for (const x of result as Array<Record<string, unknown>>) {
        console.log(`${x.id}  ${String(x.status).padEnd(8)} ${String(x.operation).padEnd(26)} by ${String(x.requester).padEnd(16)} ${x.approvals}/${x.approvalsNeeded}  expires ${x.expiresAt}`);
      }
      return;
    case "backup": {
      const b = r as unknown as { file: string; bytes: number; protection: string; tables: Array<{ rows: number }> };
      const rows = b.tables.reduce((n, t) => n + t.rows, 0);
      console.log(`Backup written to ${b.file}: ${b.tables.length} tables, ${rows} rows, ${b.bytes} bytes, encrypted under the ${b.protection === "passphrase" ? "passphrase" : "root key"}`);
      if (b.protection !== "passphrase") console.log("Restoring it needs this installation's root key: back the root key up separately.");
      return;
    }
    case "restore": {
      const x = r as unknown as { archiveId: string; archiveCreatedAt: string; tables: unknown[]; rows: number };
      console.log(`Restored archive ${x.archiveId} (made ${x.archiveCreatedAt}): ${x.tables.length} tables, ${x.rows} rows. Recorded as RestoreBackup.`);
      return;
    }
    case "unseal":
    case "root-key.seal":
    case "root-key.status": {
      const p = r as { kind?: string; sealed: boolean; entered?: number; threshold?: number; custodians?: number; tokenLabel?: string };
      if (p.kind && p.kind !== "shamir") return console.log(`Root key store: ${p.kind}${p.tokenLabel ? ` (token ${p.tokenLabel})` : ""}, unsealed`);
      console.log(p.sealed ? `Sealed: ${p.entered ?? 0} of ${p.threshold} unseal shares entered (${p.custodians} custodians)` : `Unsealed (any ${p.threshold} of ${p.custodians} shares unseal it)`);
      return;
    }
    default: {
      const user = r as { username?: string };
      console.log(`OK${user.username ? `: ${user.username}` : ""}`);
    }
  }
}

/** One line of stdin (a share), without waiting for end of input when typed at a terminal. */
async function readLine(): Promise<string> {
  const { createInterface } = await import("node:readline");
  const rl = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of rl) return line;
    return "";
  } finally {
    rl.close();
  }
}

/** Each share shown once, or written to its own 0600 file (one per custodian) and not shown. */
function printShares(r: { shares: string[]; threshold: number; custodians: number }, dir: string | undefined, json: boolean, extra: object = {}): number {
  if (dir) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const files = r.shares.map((share, i) => {
      const file = join(resolve(dir), `custodian-${i + 1}.share`);
      writeFileSync(file, share + "\n", { mode: 0o600, flag: "wx" });
      return file;
    });
    if (json) console.log(JSON.stringify({ ...extra, shares: undefined, threshold: r.threshold, custodians: r.custodians, files }, null, 2));
    else console.log(`Root key sealed: any ${r.threshold} of ${r.custodians} shares unseal it. Shares written (0600), one per custodian:\n${files.join("\n")}`);
    return 0;
  }
  if (json) {
    console.log(JSON.stringify({ ...extra, threshold: r.threshold, custodians: r.custodians, shares: r.shares }, null, 2));
    return 0;
  }
  console.log(`Root key sealed: any ${r.threshold} of ${r.custodians} shares unseal it. Each share is shown only now:`);
  r.shares.forEach((s, i) => console.log(`  custodian ${i + 1}: ${s}`));
  console.log("Give each custodian their share; the server starts sealed until they enter them (keyhold unseal, or the console's Unseal page).");
  return 0;
}

function approvalRuleOptions(values: { operation?: string; approvals?: string; off?: boolean; "ttl-hours"?: string }): Record<string, unknown> {
  if (!values.operation) throw new UsageError("--operation is required (e.g. ScheduleKeyDeletion)");
  if (!values.off && (values.approvals === undefined || !/^\d+$/.test(values.approvals))) throw new UsageError("--approvals M (a whole number) or --off is required");
  if (values["ttl-hours"] !== undefined && !(Number(values["ttl-hours"]) > 0)) throw new UsageError("--ttl-hours takes a positive number");
  return { operation: values.operation, approvals: values.approvals, off: values.off, ttlHours: values["ttl-hours"] };
}

function tagsOption(values: string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const v of values) {
    const at = v.indexOf("=");
    if (at < 1) throw new UsageError(`--tag takes KEY=VALUE, not "${v}"`);
    tags[v.slice(0, at)] = v.slice(at + 1);
  }
  return tags;
}

/** `approvals approve|reject REQUEST-ID`: through the API with the user's own access key (approvals-api.ts). */
async function decide(
  decision: "approve" | "reject",
  requestId: string | undefined,
  values: { reason?: string; "mfa-code"?: string; "endpoint-url"?: string; json?: boolean },
  config: { region: string; apiPort: number },
): Promise<number> {
  if (!requestId) {
    console.error(`approvals ${decision} needs the approval request ID: keyhold approvals ${decision} REQUEST-ID`);
    return 2;
  }
  // Loaded only for a decision: the other commands never sign anything.
  const { decideThroughApi } = await import("./approvals-api");
  const reply = await decideThroughApi({
    decision,
    requestId,
    reason: values.reason,
    mfaCode: values["mfa-code"],
    endpoint: values["endpoint-url"] ?? `http://127.0.0.1:${config.apiPort}`,
    region: process.env.AWS_REGION ?? config.region,
    env: process.env,
  }).catch((e: unknown) => ({ ok: false as const, error: { name: "ConnectionError", message: (e as Error).message } }));
  if (!reply.ok) {
    console.error(`${reply.error.name}: ${reply.error.message}`);
    return 1;
  }
  const r = reply.result as { RequestId: string; Status: string; Approvals: number; ApprovalsNeeded: number; Outcome?: { Succeeded: boolean; Error?: { Code: string; Message: string } } };
  if (values.json) console.log(JSON.stringify(r, null, 2));
  else if (r.Status === "executed") console.log(`OK: ${r.RequestId} approved ${r.Approvals}/${r.ApprovalsNeeded}: executed`);
  else if (r.Status === "failed") console.log(`OK: ${r.RequestId} approved ${r.Approvals}/${r.ApprovalsNeeded}: execution failed: ${r.Outcome?.Error?.Code}: ${r.Outcome?.Error?.Message}`);
  else console.log(`OK: ${r.RequestId} ${r.Status} (${r.Approvals}/${r.ApprovalsNeeded} approvals)`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        username: { type: "string" },
        user: { type: "string" },
        "access-key-id": { type: "string" },
        role: { type: "string" },
        "password-stdin": { type: "boolean", default: false },
        "service-account": { type: "boolean", default: false },
        before: { type: "string" },
        out: { type: "string" },
        "passphrase-stdin": { type: "boolean", default: false },
        tag: { type: "string", multiple: true },
        custodians: { type: "string" },
        threshold: { type: "string" },
        "share-dir": { type: "string" },
        operation: { type: "string" },
        approvals: { type: "string" },
        off: { type: "boolean", default: false },
        "ttl-hours": { type: "string" },
        status: { type: "string" },
        to: { type: "string" },
        approval: { type: "string" },
        "unseal-shares-stdin": { type: "boolean", default: false },
        reason: { type: "string" },
        "mfa-code": { type: "string" },
        "endpoint-url": { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  // `key <action> KEY-ID`: the key ID is an argument, not part of the command.
  const keyId = positionals[0] === "key" && positionals.length === 3 ? positionals[2] : undefined;
  // `restore FILE`: likewise.
  const file = positionals[0] === "restore" && positionals.length === 2 ? positionals[1] : undefined;
  const command = (keyId === undefined && file === undefined ? positionals : positionals.slice(0, keyId ? 2 : 1)).join(".");

  let config;
  try {
    config = parseConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }

  if (positionals[0] === "approvals" && (positionals[1] === "approve" || positionals[1] === "reject")) {
    return decide(positionals[1], positionals[2], values, config);
  }

  const input: Record<string, unknown> = {};
  try {
    const username = values.username ?? values.user;
    if (username !== undefined) input.username = username;
    if (values["access-key-id"] !== undefined) input.accessKeyId = values["access-key-id"];
    if (keyId !== undefined) input.keyId = keyId;
    const role = roleOption(values.role);
    if (role !== undefined) input.role = role;
    if (values["service-account"]) input.serviceAccount = true;
    if (values.before !== undefined) input.before = values.before;
    if (command === "approvals.require") Object.assign(input, approvalRuleOptions(values));
    if (values.status !== undefined) input.status = values.status;
    // Paths are the CLI user's: resolved here, as the server may run elsewhere in the file system.
    if (values.out !== undefined) input.out = resolve(values.out);
    if (file !== undefined) input.file = resolve(file);
    if (values["passphrase-stdin"]) input.passphrase = await readStdin();
    if (values.custodians !== undefined) input.custodians = Number(values.custodians);
    if (values.threshold !== undefined) input.threshold = Number(values.threshold);
    if (values.to !== undefined) input.to = values.to;
    if (values.approval !== undefined) input.approvalRequestId = values.approval;
    if (values["unseal-shares-stdin"]) input.shares = (await readStdin()).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    if (command === "unseal") {
      if (process.stdin.isTTY) process.stderr.write("Unseal share (input is read until end of line): ");
      input.share = (await readLine()).trim();
    }
    if (command === "user.tag") input.tags = tagsOption(values.tag ?? []);
    if (values["password-stdin"]) {
      input.password = await readStdin();
      // The operator chose this password (e.g. for a service account): no forced change.
      if (command === "user.create") input.mustChangePassword = false;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }

  const serverStopped = command === "restore" || command === "init" || command === "root-key.migrate";
  const serverRunning = command === "unseal" || command === "root-key.seal" || command === "root-key.rekey";
  let reply;
  try {
    ({ reply } = await send(command, input, { dataDir: config.dataDir, databaseUrl: config.databaseUrl, serverStopped, serverRunning }));
  } catch (e) {
    if (!serverRunning && !serverStopped) throw e;
    console.error((e as Error).message);
    return 1;
  }
  if (!reply.ok) {
    console.error(`${reply.error.name}: ${reply.error.message}`);
    return 1;
  }
  if (command === "root-key.migrate") {
    const m = reply.result as { from: string; to: string; rewrapped: Record<string, number>; alreadyMigrated: number; verified: number; shares?: string[]; threshold?: number; custodians?: number };
    if (values.json && !m.shares) console.log(JSON.stringify(m, null, 2));
    else if (!values.json) {
      const n = Object.values(m.rewrapped).reduce((a, b) => a + b, 0);
      console.log(`Root key moved from ${m.from} to ${m.to}: ${n} rows re-wrapped (${Object.entries(m.rewrapped).map(([t, c]) => `${t} ${c}`).join(", ") || "none"}), ${m.alreadyMigrated} already done, ${m.verified} verified.`);
    }
    if (m.shares) return printShares({ shares: m.shares, threshold: m.threshold!, custodians: m.custodians! }, values["share-dir"], values.json, m);
    return 0;
  }
  if (command === "init" || command === "root-key.rekey") return printShares(reply.result as { shares: string[]; threshold: number; custodians: number }, values["share-dir"], values.json);
  print(command, reply.result, values.json);
  if (command === "audit.verify" && !(reply.result as { ok: boolean }).ok) return 1;
  return 0;
}
