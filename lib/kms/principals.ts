// Principals named by key policies and grants must exist, as AWS checks: in
// this account only the root and existing users can be named (Keyhold has no
// IAM roles or groups). "*", account IDs, service principals and other
// accounts' ARNs are accepted (other accounts cannot be looked up here).
// Checked after authorization, so the answer tells nothing to callers who
// could not make the change anyway.
import { prisma } from "@/lib/db/client";
import { InvalidArnException, MalformedPolicyDocumentException } from "@/lib/errors";
import type { PolicyDocument } from "@/lib/policy";
import type { KmsContext } from "./context";

export const INVALID_PRINCIPALS_MESSAGE = "Policy contains a statement with one or more invalid principals.";

/** The usernames `arns` name in this account, or undefined when one names something that cannot exist here. */
function usernamesIn(ctx: KmsContext, arns: readonly string[]): string[] | undefined {
  const prefix = `arn:aws:iam::${ctx.account}:`;
  const stsPrefix = `arn:aws:sts::${ctx.account}:`;
  const names: string[] = [];
  for (const arn of arns) {
    if (arn.startsWith(stsPrefix)) return undefined;
    if (!arn.startsWith(prefix)) continue; // "*", account IDs, other accounts
    const resource = arn.slice(prefix.length);
    if (resource === "root") continue;
    if (!resource.startsWith("user/")) return undefined; // roles, groups: none exist in Keyhold
    names.push(resource.slice(resource.lastIndexOf("/") + 1));
  }
  return names;
}

async function allExist(usernames: string[]): Promise<boolean> {
  const wanted = [...new Set(usernames)];
  if (wanted.length === 0) return true;
  const found = await prisma.user.count({ where: { username: { in: wanted } } });
  return found === wanted.length;
}

/** MalformedPolicyDocumentException, as AWS, when a key policy names a principal of this account that does not exist. */
export async function assertPolicyPrincipalsExist(ctx: KmsContext, doc: PolicyDocument): Promise<void> {
  const arns = doc.statements.flatMap((s) => [s.principal, s.notPrincipal]).flatMap((p) => (p && !p.any ? p.aws : []));
  const names = usernamesIn(ctx, arns);
  if (!names || !(await allExist(names))) throw new MalformedPolicyDocumentException(INVALID_PRINCIPALS_MESSAGE);
}

/** InvalidArnException, as AWS, when a grant's principal names a principal of this account that does not exist. */
export async function assertGrantPrincipalExists(ctx: KmsContext, arn: string): Promise<void> {
  const names = usernamesIn(ctx, [arn]);
  if (!names || !(await allExist(names))) throw new InvalidArnException(`ARN does not refer to a valid principal: ${arn}`);
}
