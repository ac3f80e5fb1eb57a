// Condition operators as AWS evaluates them, with ForAllValues/ForAnyValue,
// …IfExists, Null and policy variables (${aws:username}).
import { BlockList } from "node:net";
import { parseCidr, parseDate, parseOperator } from "./document";

/** Request condition values by lower-cased key; a key that is absent is not in the request. */
export type ConditionValues = Readonly<Record<string, readonly string[] | undefined>>;

const NEGATED: Record<string, string> = {
  StringNotEquals: "StringEquals",
  StringNotEqualsIgnoreCase: "StringEqualsIgnoreCase",
  StringNotLike: "StringLike",
  NumericNotEquals: "NumericEquals",
  DateNotEquals: "DateEquals",
  NotIpAddress: "IpAddress",
  ArnNotEquals: "ArnEquals",
  ArnNotLike: "ArnLike",
};

/**
 * AWS wildcard matching: `*` any run of characters, `?` one character.
 * Two pointers, backtracking only to the last `*`: time bounded by
 * value × pattern length. (A RegExp built from the pattern backtracks
 * exponentially on "*a*a*a*b" against a long caller-chosen value, e.g. an
 * encryption context, and would freeze the event loop.)
 */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  let pi = 0;
  let vi = 0;
  let star = -1; // pattern index just after the last `*` seen
  let resume = 0; // value index that `*` has absorbed up to
  while (vi < v.length) {
    const c = p.charCodeAt(pi);
    if (pi < p.length && c !== 42 /* * */ && (c === 63 /* ? */ || c === v.charCodeAt(vi))) {
      pi++;
      vi++;
    } else if (pi < p.length && c === 42) {
      star = ++pi;
      resume = vi;
    } else if (star !== -1) {
      pi = star;
      vi = ++resume;
    } else {
      return false;
    }
  }
  while (pi < p.length && p.charCodeAt(pi) === 42) pi++;
  return pi === p.length;
}

function ipMatch(request: string, cidr: string): boolean {
  const block = parseCidr(cidr);
  if (!block) return false;
  let addr = request.trim();
  if (addr.startsWith("::ffff:") && /^\d+\.\d+\.\d+\.\d+$/.test(addr.slice(7)) && block.family === "ipv4") addr = addr.slice(7);
  const family = addr.includes(":") ? "ipv6" : "ipv4";
  try {
    const list = new BlockList();
    list.addSubnet(block.address, block.prefix, block.family);
    return list.check(addr, family);
  } catch {
    return false;
  }
}

function arnLike(pattern: string, value: string): boolean {
  // ARNs compare segment by segment (arn:partition:service:region:account:resource); wildcards allowed in each.
  const p = pattern.split(":");
  const v = value.split(":");
  if (p.length < 6 || v.length < 6) return globMatch(pattern, value);
  const pHead = p.slice(0, 5);
  const vHead = v.slice(0, 5);
  return pHead.every((seg, i) => globMatch(seg, vHead[i]!)) && globMatch(p.slice(5).join(":"), v.slice(5).join(":"));
}

/** The positive form of each operator: does one request value match one policy value? */
function positive(base: string, request: string, policy: string): boolean {
  switch (base) {
    case "StringEquals":
      return request === policy;
    case "StringEqualsIgnoreCase":
      return request.toLowerCase() === policy.toLowerCase();
    case "StringLike":
      return globMatch(policy, request);
    case "NumericEquals":
    case "NumericLessThan":
    case "NumericLessThanEquals":
    case "NumericGreaterThan":
    case "NumericGreaterThanEquals":
      return compare(base.slice("Numeric".length), Number(request), Number(policy));
    case "DateEquals":
    case "DateLessThan":
    case "DateLessThanEquals":
    case "DateGreaterThan":
    case "DateGreaterThanEquals":
      return compare(base.slice("Date".length), parseDate(request), parseDate(policy));
    case "Bool":
      return request.toLowerCase() === policy.toLowerCase();
    case "BinaryEquals":
      return request === policy;
    case "IpAddress":
      return ipMatch(request, policy);
    case "ArnEquals":
    case "ArnLike":
      return arnLike(policy, request);
    default:
      return false;
  }
}

function compare(how: string, a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  switch (how) {
    case "Equals":
      return a === b;
    case "LessThan":
      return a < b;
    case "LessThanEquals":
      return a <= b;
    case "GreaterThan":
      return a > b;
    case "GreaterThanEquals":
      return a >= b;
    default:
      return false;
  }
}

/** Replaces ${aws:username}-style policy variables with the request's (single) value; unknown ones stay literal-unmatched. */
export function substituteVariables(value: string, values: ConditionValues): string {
  if (!value.includes("${")) return value;
  return value.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    if (name === "*" || name === "?" || name === "$") return name;
    const v = values[name.toLowerCase()];
    return v && v.length === 1 ? v[0]! : "\u0000unresolved\u0000";
  });
}

/** Evaluates one operator/key/values entry of a Condition block. */
export function evaluateCondition(operator: string, key: string, policyValues: readonly string[], values: ConditionValues): boolean {
  const op = parseOperator(operator);
  if (!op) return false;
  const request = values[key.toLowerCase()];
  const present = request !== undefined && request.length > 0;
  if (op.base === "Null") {
    return policyValues.some((v) => (v.toLowerCase() === "true") === !present);
  }
  const negatedOf = NEGATED[op.base];
  const base = negatedOf ?? op.base;
  const negated = negatedOf !== undefined;
  if (!present) {
    if (op.qualifier === "ForAllValues") return true;
    if (op.qualifier === "ForAnyValue") return false;
    if (op.ifExists) return true;
    return negated;
  }
  const resolved = policyValues.map((p) => substituteVariables(p, values));
  const matchesAny = (v: string) => resolved.some((p) => positive(base, v, p));
  const holds = (v: string) => (negated ? !matchesAny(v) : matchesAny(v));
  if (op.qualifier === "ForAllValues") return request.every(holds);
  if (op.qualifier === "ForAnyValue") return request.some(holds);
  const any = request.some(matchesAny);
  return negated ? !any : any;
}
