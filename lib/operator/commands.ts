// Operator commands: what the `keyhold` CLI may ask for, run as the operator
// principal. The same table serves the admin socket (server running) and the
// direct mode (server stopped), so both behave identically.
import { operatorPrincipal } from "@/lib/auth/principal";
import {
  createUser,
  findUserByName,
  listUsers,
  resetUserPassword,
  setUserRole,
  setUserTags,
  unlockUser,
} from "@/lib/accounts/users";
import { createAccessKey, deleteAccessKey, listAccessKeys, setAccessKeyStatus } from "@/lib/accounts/access-keys";
import { listApprovalRequests, listApprovalRules, updateApprovalRule } from "@/lib/approvals";
import { hostRunApproval } from "@/lib/approvals/host-operations";
import { createBackup } from "@/lib/backup/backup";
import { restoreBackup } from "@/lib/backup/restore";
import { purgeAuditEvents } from "@/lib/audit/retention";
import { verifyAuditTrailAs } from "@/lib/audit/verify";
import { prisma } from "@/lib/db/client";
import { seedDemo } from "@/lib/demo/seed";
import { breakGlassCancelKeyDeletion, breakGlassResetKeyPolicy } from "@/lib/kms/break-glass";
import { databaseStatus } from "@/lib/db/status";
import { migrateRootKey } from "@/lib/kms/root-key-migration";
import { describeRootKeyCustody, initRootKeyCustody, rekeyRootKey, sealRootKey, submitUnsealShare } from "@/lib/kms/root-key-custody";
import { ValidationException } from "@/lib/errors";
import { accountId, region } from "@/lib/settings/account";
import { VERSION } from "@/lib/version";

type Input = Record<string, unknown>;
type Command = (input: Input) => Promise<unknown>;

async function operator() {
  return operatorPrincipal(await accountId());
}

async function userIdOf(input: Input): Promise<string> {
  if (typeof input.username !== "string") throw new ValidationException("--username is required");
  return (await findUserByName(await operator(), input.username)).id;
}

export const operatorCommands: Record<string, Command> = {
  async status() {
    const database = await databaseStatus();
    const users = database.reachable ? await prisma.user.count() : null;
    return { version: VERSION, accountId: await accountId(), region: region(), database, users };
  },
  async "user.list"() {
    return listUsers(await operator());
  },
  async "user.create"(input) {
    return createUser(await operator(), input);
  },
  async "user.reset-password"(input) {
    return resetUserPassword(await operator(), { userId: await userIdOf(input), password: input.password });
  },
  async "user.set-role"(input) {
    return setUserRole(await operator(), { userId: await userIdOf(input), role: input.role ?? null });
  },
  async "user.unlock"(input) {
    return unlockUser(await operator(), { userId: await userIdOf(input) });
  },
  async "user.tag"(input) {
    return setUserTags(await operator(), { userId: await userIdOf(input), tags: input.tags ?? {} });
  },
  async "demo.seed"() {
    return seedDemo();
  },
  async "audit.verify"() {
    return verifyAuditTrailAs(await operator());
  },
  async "audit.purge"(input) {
    return purgeAuditEvents(await operator(), { before: input.before });
  },
  async "access-key.create"(input) {
    const { AccessKeyId, SecretAccessKey, UserName } = await createAccessKey(await operator(), { username: input.username });
    return { AccessKeyId, SecretAccessKey, UserName };
  },
  async "access-key.list"(input) {
    return listAccessKeys(await operator(), input.username ? { username: input.username } : {});
  },
  async "access-key.deactivate"(input) {
    return setAccessKeyStatus(await operator(), { accessKeyId: input.accessKeyId, status: "Inactive" });
  },
  async "access-key.activate"(input) {
    return setAccessKeyStatus(await operator(), { accessKeyId: input.accessKeyId, status: "Active" });
  },
  // Break-glass (README): recorded as CancelKeyDeletion / PutKeyPolicy by the account root via the CLI.
  async "key.cancel-deletion"(input) {
    return breakGlassCancelKeyDeletion(await operator(), input.keyId);
  },
  async "key.reset-policy"(input) {
    return breakGlassResetKeyPolicy(await operator(), input.keyId);
  },
  // Approval rules are set by the host's operator directly (no quorum: whoever
  // holds the data folder controls the installation); approving stays with
  // signed-in users (lib/approvals/decide.ts refuses the operator).
  async "approvals.require"(input) {
    const hours = input.ttlHours === undefined ? undefined : Number(input.ttlHours);
    return updateApprovalRule(
      await operator(),
      {
        operation: input.operation,
        approvals: input.off ? 0 : Number(input.approvals),
        ...(input.role ? { approverRole: input.role } : {}),
        ...(hours !== undefined ? { ttlSeconds: Math.round(hours * 3600) } : {}),
      },
      { source: "cli" },
    );
  },
  async "approvals.rules"() {
    return listApprovalRules(await operator());
  },
  async "approvals.list"(input) {
    return listApprovalRequests(await operator(), input.status === undefined ? {} : { status: input.status as string });
  },
  async backup(input) {
    return createBackup(await operator(), { out: input.out, passphrase: input.passphrase });
  },
  // Server stopped only (cli/transport.ts); recorded as RestoreBackup with the restored rows.
  async restore(input) {
    return restoreBackup({ file: input.file, passphrase: input.passphrase });
  },
  // Server stopped only (cli/transport.ts): splits the root key into custodians' shares.
  async init(input) {
    return initRootKeyCustody(await operator(), input);
  },
  async "root-key.status"() {
    return describeRootKeyCustody(await operator());
  },
  async unseal(input) {
    return submitUnsealShare(await operator(), input);
  },
  async "root-key.seal"() {
    return sealRootKey(await operator());
  },
  // Under an approval rule, both need `--approval <request-id>` (lib/approvals/host-operations.ts).
  async "root-key.rekey"(input) {
    return rekeyRootKey(await operator(), input, hostRunApproval("RekeyRootKey", input));
  },
  // Server stopped only (cli/transport.ts): re-wraps everything under the target store.
  async "root-key.migrate"(input) {
    return migrateRootKey(await operator(), input, hostRunApproval("MigrateRootKey", input));
  },
  async "access-key.delete"(input) {
    await deleteAccessKey(await operator(), { accessKeyId: input.accessKeyId });
    return { deleted: input.accessKeyId };
  },
};

export async function runOperatorCommand(name: string, input: Input): Promise<unknown> {
  const command = Object.hasOwn(operatorCommands, name) ? operatorCommands[name] : undefined;
  if (!command) throw new ValidationException(`Unknown command: ${name}`);
  return command(input);
}
