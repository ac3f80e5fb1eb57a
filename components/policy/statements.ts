// Editing a key policy the way the AWS console's default view does: the key
// administrators and key users are the principals of the standard statements
// (found by Sid); adding the first person creates a statement with AWS's
// standard action list, removing the last one removes it. Every other
// statement is kept as it is.
import { ADMIN_ACTIONS, userActions } from "@/components/keys/policy";

export const ADMIN_SID = "Allow access for Key Administrators";
export const USER_SID = "Allow use of the key";
export const GRANT_SID = "Allow attachment of persistent resources";

export type PolicyJson = { Version?: string; Id?: string; Statement: Array<Record<string, unknown>> } & Record<string, unknown>;

export type ParsedText = { ok: true; doc: PolicyJson } | { ok: false; error: string };

/** Parses a policy's text for the default view: a JSON object with a Statement (object or list). */
export function parsePolicyText(text: string): ParsedText {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) return { ok: false, error: "The policy must be a JSON object." };
  const doc = json as Record<string, unknown>;
  const raw = doc.Statement;
  if (raw === undefined) return { ok: false, error: "The policy has no Statement." };
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.some((s) => s === null || typeof s !== "object" || Array.isArray(s))) return { ok: false, error: "Every statement must be a JSON object." };
  return { ok: true, doc: { ...doc, Statement: list as Array<Record<string, unknown>> } };
}

export const formatPolicy = (doc: unknown) => JSON.stringify(doc, null, 2);

/** Pretty-prints policy text when it is JSON (the saved version is compared in this form). */
export function prettyPolicy(text: string): string {
  try {
    return formatPolicy(JSON.parse(text));
  } catch {
    return text;
  }
}

const findStatement = (doc: PolicyJson, sid: string) => doc.Statement.find((s) => s.Sid === sid);

/** The AWS principals (ARNs) a statement names; "*" when it names everyone. */
export function principalsOf(doc: PolicyJson, sid: string): string[] {
  const st = findStatement(doc, sid);
  if (!st) return [];
  const p = st.Principal;
  if (p === "*") return ["*"];
  if (!p || typeof p !== "object") return [];
  const aws = (p as Record<string, unknown>).AWS;
  if (typeof aws === "string") return [aws];
  return Array.isArray(aws) ? aws.filter((a): a is string => typeof a === "string") : [];
}

function withPrincipals(st: Record<string, unknown>, arns: string[]): Record<string, unknown> {
  const prev = st.Principal && typeof st.Principal === "object" ? (st.Principal as Record<string, unknown>) : {};
  return { ...st, Principal: { ...prev, AWS: arns.length === 1 ? arns[0] : arns } };
}

/** Sets one standard statement's principals: creates it (before `before` Sids) when absent, removes it when empty. */
function setStatement(doc: PolicyJson, sid: string, arns: string[], create: () => Record<string, unknown>, before: string[]): PolicyJson {
  const i = doc.Statement.findIndex((s) => s.Sid === sid);
  const statements = [...doc.Statement];
  if (arns.length === 0) {
    if (i >= 0) statements.splice(i, 1);
  } else if (i >= 0) {
    statements[i] = withPrincipals(statements[i]!, arns);
  } else {
    const at = statements.findIndex((s) => typeof s.Sid === "string" && before.includes(s.Sid));
    const st = withPrincipals(create(), arns);
    if (at >= 0) statements.splice(at, 0, st);
    else statements.push(st);
  }
  return { ...doc, Statement: statements };
}

export function setAdministrators(doc: PolicyJson, arns: string[]): PolicyJson {
  return setStatement(
    doc,
    ADMIN_SID,
    arns,
    () => ({ Sid: ADMIN_SID, Effect: "Allow", Principal: { AWS: [] }, Action: [...ADMIN_ACTIONS], Resource: "*" }),
    [USER_SID, GRANT_SID],
  );
}

/** Key users: the use statement and, for symmetric encryption keys, the grants-for-AWS-resources statement. */
export function setUsers(doc: PolicyJson, arns: string[], key: { keySpec: string; keyUsage: string }): PolicyJson {
  let next = setStatement(
    doc,
    USER_SID,
    arns,
    () => ({ Sid: USER_SID, Effect: "Allow", Principal: { AWS: [] }, Action: userActions(key.keySpec, key.keyUsage), Resource: "*" }),
    [GRANT_SID],
  );
  const grants = key.keyUsage === "ENCRYPT_DECRYPT" && key.keySpec === "SYMMETRIC_DEFAULT";
  if (grants || findStatement(next, GRANT_SID)) {
    next = setStatement(
      next,
      GRANT_SID,
      arns,
      () => ({
        Sid: GRANT_SID,
        Effect: "Allow",
        Principal: { AWS: [] },
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      }),
      [],
    );
  }
  return next;
}

/** "arn:aws:iam::111122223333:user/alice" → "alice"; other principals as written. */
export function principalLabel(arn: string): string {
  const m = /^arn:aws:iam::\d{12}:user\/(.+)$/.exec(arn);
  if (m) return m[1]!;
  if (/^arn:aws:iam::\d{12}:root$/.test(arn)) return "Account root";
  return arn === "*" ? "Everyone (*)" : arn;
}

/** Where JSON.parse failed, as a 1-based line and column (from the engine's message), if it says. */
export function jsonErrorLocation(text: string, message: string): { line: number; column: number } | undefined {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  if (pos) {
    const before = text.slice(0, Number(pos[1]));
    const lines = before.split("\n");
    return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
  }
  if (/unexpected end/i.test(message)) {
    const lines = text.split("\n");
    return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
  }
  return undefined;
}
