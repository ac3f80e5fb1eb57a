// The AWS policy grammar: parse and validate a policy document (key policy or
// identity policy) into a normalised form, or MalformedPolicyDocumentException
// naming the exact problem.
import { MalformedPolicyDocumentException } from "@/lib/errors";

export type Effect = "Allow" | "Deny";

/** Principal element: "*" (anyone) or a list of AWS principals (ARNs, account IDs or "*"). */
export type PrincipalSpec = { any: true } | { any: false; aws: string[] };

/** operator (e.g. "ForAnyValue:StringLikeIfExists") → condition key → policy values. */
export type ConditionBlock = Array<{ operator: string; key: string; values: string[] }>;

export interface Statement {
  /** Position in the document (0-based), for explanations. */
  index: number;
  sid?: string;
  effect: Effect;
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  condition: ConditionBlock;
}

export interface PolicyDocument {
  version: string;
  id?: string;
  statements: Statement[];
}

export interface ParseOptions {
  /** Key policies need Principal/NotPrincipal; identity policies must not have them. */
  kind: "resource" | "identity";
}

const TOP_KEYS = new Set(["Version", "Id", "Statement"]);
const STATEMENT_KEYS = new Set([
  "Sid",
  "Effect",
  "Principal",
  "NotPrincipal",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Condition",
]);

const BASE_OPERATORS = new Set([
  "StringEquals",
  "StringNotEquals",
  "StringEqualsIgnoreCase",
  "StringNotEqualsIgnoreCase",
  "StringLike",
  "StringNotLike",
  "NumericEquals",
  "NumericNotEquals",
  "NumericLessThan",
  "NumericLessThanEquals",
  "NumericGreaterThan",
  "NumericGreaterThanEquals",
  "DateEquals",
  "DateNotEquals",
  "DateLessThan",
  "DateLessThanEquals",
  "DateGreaterThan",
  "DateGreaterThanEquals",
  "Bool",
  "BinaryEquals",
  "IpAddress",
  "NotIpAddress",
  "ArnEquals",
  "ArnLike",
  "ArnNotEquals",
  "ArnNotLike",
  "Null",
]);

export interface ParsedOperator {
  qualifier?: "ForAllValues" | "ForAnyValue";
  base: string;
  ifExists: boolean;
}

/** Splits "ForAnyValue:StringLikeIfExists" into its parts; undefined if it is no operator AWS knows. */
export function parseOperator(name: string): ParsedOperator | undefined {
  let rest = name;
  let qualifier: ParsedOperator["qualifier"];
  const colon = rest.indexOf(":");
  if (colon >= 0) {
    const q = rest.slice(0, colon);
    if (q.toLowerCase() === "forallvalues") qualifier = "ForAllValues";
    else if (q.toLowerCase() === "foranyvalue") qualifier = "ForAnyValue";
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.endsWith("IfExists") && rest !== "IfExists") {
    ifExists = true;
    rest = rest.slice(0, -"IfExists".length);
  }
  if (!BASE_OPERATORS.has(rest)) return undefined;
  if (rest === "Null" && ifExists) return undefined;
  return { qualifier, base: rest, ifExists };
}

const malformed = (message: string): never => {
  throw new MalformedPolicyDocumentException(message);
};

function where(i: number, sid: unknown): string {
  return typeof sid === "string" && sid ? `statement ${i + 1} (Sid "${sid}")` : `statement ${i + 1}`;
}

function stringList(value: unknown, what: string, allowEmpty = false): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (!allowEmpty && list.length === 0) malformed(`${what} must not be an empty list.`);
  for (const v of list) {
    if (typeof v !== "string") malformed(`${what} must be a string or a list of strings.`);
    if ((v as string).length === 0) malformed(`${what} must not contain an empty string.`);
  }
  return list as string[];
}

const ACCOUNT = /^\d{12}$/;
const IAM_ARN = /^arn:aws:iam::(\d{12}):(root|user\/[\w+=,.@/-]+|role\/[\w+=,.@/-]+|[\w+=,.@/-]+)$/;
const STS_ARN = /^arn:aws:sts::(\d{12}):[\w+=,.@/-]+$/;

function principalSpec(value: unknown, what: string): PrincipalSpec {
  if (value === "*") return { any: true };
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return malformed(`${what} must be "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}.`);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) malformed(`${what} must name at least one principal.`);
  const aws: string[] = [];
  for (const [type, v] of entries) {
    if (type === "Service" || type === "Federated" || type === "CanonicalUser") {
      // Accepted by the grammar (AWS keys often name services); such principals never call Keyhold.
      stringList(v, `${what}.${type}`);
      continue;
    }
    if (type !== "AWS") malformed(`${what} has an unknown principal type "${type}"; use "AWS".`);
    for (const p of stringList(v, `${what}.AWS`)) {
      if (p !== "*" && !ACCOUNT.test(p) && !IAM_ARN.test(p) && !STS_ARN.test(p)) {
        malformed(`${what} contains an invalid principal: "${p}".`);
      }
      aws.push(p);
    }
  }
  return aws.includes("*") ? { any: true } : { any: false, aws };
}

const ACTION = /^([a-zA-Z0-9-]+:[a-zA-Z0-9*?]+|\*)$/;

function actionList(value: unknown, what: string): string[] {
  const list = stringList(value, what);
  for (const a of list) {
    if (!ACTION.test(a)) malformed(`${what} contains an invalid action: "${a}". Actions look like "kms:Encrypt" or "kms:*".`);
  }
  return list;
}

function resourceList(value: unknown, what: string): string[] {
  const list = stringList(value, what);
  for (const r of list) {
    if (r !== "*" && !r.startsWith("arn:")) malformed(`${what} contains an invalid resource: "${r}". Use "*" or an ARN.`);
  }
  return list;
}

function conditionBlock(value: unknown, what: string): ConditionBlock {
  if (value === null || typeof value !== "object" || Array.isArray(value)) malformed(`${what} must be an object.`);
  const block: ConditionBlock = [];
  for (const [operator, keys] of Object.entries(value as Record<string, unknown>)) {
    const op = parseOperator(operator);
    if (!op) return malformed(`${what} uses an unknown condition operator: "${operator}".`);
    if (keys === null || typeof keys !== "object" || Array.isArray(keys)) {
      malformed(`${what}.${operator} must be an object of condition keys.`);
    }
    const entries = Object.entries(keys as Record<string, unknown>);
    if (entries.length === 0) malformed(`${what}.${operator} must name at least one condition key.`);
    for (const [key, raw] of entries) {
      if (!/^[a-zA-Z0-9-]+:[^\s]+$/.test(key)) malformed(`${what}.${operator} has an invalid condition key: "${key}".`);
      const list = Array.isArray(raw) ? raw : [raw];
      if (list.length === 0) malformed(`${what}.${operator}.${key} must have at least one value.`);
      const values = list.map((v) => {
        if (typeof v === "string") return v;
        if (typeof v === "boolean" || typeof v === "number") return String(v);
        return malformed(`${what}.${operator}.${key} values must be strings, numbers or booleans.`);
      });
      checkOperands(op.base, values, `${what}.${operator}.${key}`);
      block.push({ operator, key, values });
    }
  }
  return block;
}

function checkOperands(base: string, values: string[], what: string): void {
  for (const v of values) {
    if ((base === "Bool" || base === "Null") && !/^(true|false)$/i.test(v)) malformed(`${what}: "${v}" is not true or false.`);
    if (base.startsWith("Numeric") && !Number.isFinite(Number(v))) malformed(`${what}: "${v}" is not a number.`);
    if (base.startsWith("Date") && Number.isNaN(parseDate(v))) malformed(`${what}: "${v}" is not a date (ISO 8601 or epoch seconds).`);
    if (base.endsWith("IpAddress") && !parseCidr(v)) malformed(`${what}: "${v}" is not an IP address or CIDR block.`);
  }
}

/** ISO 8601 or UNIX epoch seconds → milliseconds (NaN if neither). */
export function parseDate(v: string): number {
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  return Date.parse(v);
}

/** "10.0.0.0/8", "2001:db8::/32" or a bare address → [address, prefix, family]. */
export function parseCidr(v: string): { address: string; prefix: number; family: "ipv4" | "ipv6" } | undefined {
  const [address, len, extra] = v.split("/");
  if (extra !== undefined || !address) return undefined;
  const family = /^\d{1,3}(\.\d{1,3}){3}$/.test(address) ? "ipv4" : address.includes(":") ? "ipv6" : undefined;
  if (!family) return undefined;
  if (family === "ipv4" && address.split(".").some((o) => Number(o) > 255)) return undefined;
  const max = family === "ipv4" ? 32 : 128;
  const prefix = len === undefined ? max : Number(len);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (len !== undefined && !/^\d+$/.test(len))) return undefined;
  return { address, prefix, family };
}

/** Parses a policy's JSON text; throws MalformedPolicyDocumentException with the exact problem. */
export function parsePolicy(text: string, options: ParseOptions = { kind: "resource" }): PolicyDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return malformed(`The policy is not valid JSON: ${(e as Error).message}`);
  }
  return parsePolicyObject(json, options);
}

export function parsePolicyObject(json: unknown, options: ParseOptions = { kind: "resource" }): PolicyDocument {
  if (json === null || typeof json !== "object" || Array.isArray(json)) malformed("The policy must be a JSON object.");
  const doc = json as Record<string, unknown>;
  for (const k of Object.keys(doc)) if (!TOP_KEYS.has(k)) malformed(`The policy has an unknown element: "${k}".`);
  const version = doc.Version ?? "2008-10-17";
  if (version !== "2012-10-17" && version !== "2008-10-17") {
    malformed(`The policy Version must be "2012-10-17" (or "2008-10-17"), not ${JSON.stringify(version)}.`);
  }
  if (doc.Id !== undefined && typeof doc.Id !== "string") malformed("The policy Id must be a string.");
  if (doc.Statement === undefined) malformed("The policy has no Statement.");
  const raw = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  if (raw.length === 0) malformed("The policy Statement must not be empty.");
  const sids = new Set<string>();
  const statements = raw.map((s, i): Statement => {
    if (s === null || typeof s !== "object" || Array.isArray(s)) return malformed(`Statement ${i + 1} must be a JSON object.`);
    const st = s as Record<string, unknown>;
    const at = where(i, st.Sid);
    for (const k of Object.keys(st)) if (!STATEMENT_KEYS.has(k)) malformed(`${cap(at)} has an unknown element: "${k}".`);
    if (st.Sid !== undefined) {
      if (typeof st.Sid !== "string") malformed(`${cap(at)}: Sid must be a string.`);
      if (sids.has(st.Sid as string)) malformed(`${cap(at)}: the Sid "${st.Sid as string}" is used by more than one statement.`);
      sids.add(st.Sid as string);
    }
    if (st.Effect !== "Allow" && st.Effect !== "Deny") {
      malformed(`${cap(at)}: Effect must be "Allow" or "Deny"${st.Effect === undefined ? " (it is missing)" : `, not ${JSON.stringify(st.Effect)}`}.`);
    }
    const hasP = st.Principal !== undefined;
    const hasNP = st.NotPrincipal !== undefined;
    if (options.kind === "resource") {
      if (hasP && hasNP) malformed(`${cap(at)} has both Principal and NotPrincipal.`);
      if (!hasP && !hasNP) malformed(`${cap(at)} has no Principal: a key policy statement must name a Principal.`);
      if (hasNP && st.Effect === "Allow") malformed(`${cap(at)}: NotPrincipal may only be used with "Effect": "Deny".`);
    } else if (hasP || hasNP) {
      malformed(`${cap(at)}: an identity policy must not have a Principal.`);
    }
    if ((st.Action === undefined) === (st.NotAction === undefined)) {
      malformed(`${cap(at)} must have exactly one of Action or NotAction.`);
    }
    if ((st.Resource === undefined) === (st.NotResource === undefined)) {
      malformed(`${cap(at)} must have exactly one of Resource or NotResource.`);
    }
    return {
      index: i,
      ...(typeof st.Sid === "string" ? { sid: st.Sid } : {}),
      effect: st.Effect as Effect,
      ...(hasP ? { principal: principalSpec(st.Principal, `${cap(at)}: Principal`) } : {}),
      ...(hasNP ? { notPrincipal: principalSpec(st.NotPrincipal, `${cap(at)}: NotPrincipal`) } : {}),
      ...(st.Action !== undefined ? { action: actionList(st.Action, `${cap(at)}: Action`) } : {}),
      ...(st.NotAction !== undefined ? { notAction: actionList(st.NotAction, `${cap(at)}: NotAction`) } : {}),
      ...(st.Resource !== undefined ? { resource: resourceList(st.Resource, `${cap(at)}: Resource`) } : {}),
      ...(st.NotResource !== undefined ? { notResource: resourceList(st.NotResource, `${cap(at)}: NotResource`) } : {}),
      condition: st.Condition === undefined ? [] : conditionBlock(st.Condition, `${cap(at)}: Condition`),
    };
  });
  return { version: version as string, ...(typeof doc.Id === "string" ? { id: doc.Id } : {}), statements };
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
