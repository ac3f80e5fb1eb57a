// Authorization of every KMS operation by the policy engine (lib/policy):
// key policy + the caller's identity policies (its role) + grants, as AWS.
// Operations first call assertCallerActive (before validation), then resolve
// the key and call authorizeKeyAction with the request's condition values —
// a missing key is NotFoundException before authorization, as in AWS.
import type { Principal } from "@/lib/auth/principal";
import { prisma, type KmsKey } from "@/lib/db/client";
import { AccessDeniedException, InvalidGrantTokenException, MalformedPolicyDocumentException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import { now } from "./clock";
import type { KmsContext } from "./context";
import { PolicyDeniedException } from "./denial";
import {
  evaluateAccountAccess,
  evaluateKeyAccess,
  identityPoliciesFor as builtInIdentityPolicies,
  parsePolicy,
  type ConditionValues,
  type Decision,
  type GrantLike,
  type IdentityPolicies,
  type PolicyDocument,
  type RequestContext,
} from "@/lib/policy";

/** Condition values a request carries (beyond those derived from caller and key). */
export interface RequestConditions {
  encryptionContext?: Record<string, string>;
  /** The alias the caller named the key by (kms:RequestAlias). */
  requestAlias?: string;
  grantTokens?: readonly string[];
  /** Other condition keys (e.g. "kms:EncryptionAlgorithm"), any case. */
  values?: Record<string, string | number | boolean | readonly string[] | undefined>;
}

/** Users who must change their password may do nothing else (checked before anything else). */
export function assertCallerActive(caller: Principal, action: string): void {
  if (caller.mustChangePassword) {
    throw new AccessDeniedException(`You must change your password before you can perform ${action}.`);
  }
  if (caller.mfaSetupRequired) {
    throw new AccessDeniedException(`Your role requires multi-factor authentication: set up an authenticator app or a passkey before you can perform ${action}.`);
  }
}

const GRANT_TOKEN = /^[A-Za-z0-9_\-+/=.]{1,8192}$/;

/** GrantTokens are accepted (grants work at once anyway); garbage is InvalidGrantTokenException. */
export function checkGrantTokens(tokens: readonly string[] | undefined): void {
  for (const t of tokens ?? []) {
    if (!GRANT_TOKEN.test(t)) throw new InvalidGrantTokenException(messages.invalidGrantToken);
  }
}

function put(out: Record<string, string[] | undefined>, key: string, v: string | number | boolean | readonly string[] | undefined) {
  if (v === undefined) return;
  out[key.toLowerCase()] = Array.isArray(v) ? [...(v as readonly string[])] : [String(v)];
}

/** Condition values derived from the caller (aws:*, kms:CallerAccount). */
export function callerValues(caller: Principal, out: Record<string, string[] | undefined> = {}): Record<string, string[] | undefined> {
  put(out, "aws:PrincipalArn", caller.arn);
  put(out, "aws:PrincipalAccount", caller.accountId);
  put(out, "kms:CallerAccount", caller.accountId);
  if (caller.kind === "user") put(out, "aws:username", caller.username);
  put(out, "aws:userid", caller.userId ?? caller.accountId);
  put(out, "aws:SourceIp", caller.sourceIp);
  put(out, "aws:CurrentTime", now().toISOString());
  put(out, "aws:EpochTime", Math.floor(now().getTime() / 1000));
  put(out, "aws:MultiFactorAuthPresent", false);
  for (const [k, v] of Object.entries(caller.tags ?? {})) put(out, `aws:PrincipalTag/${k}`, v);
  // Only requests that carry the fact: CLI calls (operator) name no transport.
  if (caller.kind === "user") put(out, "aws:SecureTransport", caller.secureTransport === true);
  put(out, "aws:PrincipalType", caller.kind === "operator" ? "Account" : "User");
  return out;
}

function requestValues(out: Record<string, string[] | undefined>, request: RequestConditions): void {
  const ec = request.encryptionContext;
  if (ec && Object.keys(ec).length > 0) {
    for (const [k, v] of Object.entries(ec)) put(out, `kms:EncryptionContext:${k}`, v);
    put(out, "kms:EncryptionContextKeys", Object.keys(ec));
  }
  put(out, "kms:RequestAlias", request.requestAlias);
  for (const [k, v] of Object.entries(request.values ?? {})) put(out, k, v);
}

/** `derive(text)`, remembered per text: policies are few and read on every call (the cache is emptied past 1,000 texts). */
function cachedByText<T>(derive: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    let value = cache.get(text);
    if (value === undefined) {
      value = derive(text);
      if (cache.size > 1000) cache.clear();
      cache.set(text, value);
    }
    return value;
  };
}

/** A stored policy, parsed; one that no longer parses allows nothing. */
function parsedOrEmpty(text: string, kind: "resource" | "identity"): PolicyDocument {
  try {
    return parsePolicy(text, { kind });
  } catch {
    return { version: "2012-10-17", statements: [] };
  }
}

/** A key's stored policy, parsed (cached by text). A stored policy that no longer parses allows nothing. */
export const keyPolicyDocument = cachedByText((text) => parsedOrEmpty(text, "resource"));

/** A custom role's stored policy, parsed (cached by text). One that no longer parses allows nothing. */
const customPolicyDocument = cachedByText((text) => parsedOrEmpty(text, "identity"));

/**
 * The caller's identity policies: the built-in role's policy (if any) plus
 * the custom role's policy (if any). Custom roles grant kms: actions only:
 * key pages and controls follow them (lib/console/keys/access.ts,
 * capabilities.ts); user, role and audit pages (lib/access/authorize) follow
 * the built-in role.
 */
export function identityPoliciesFor(caller: Principal): IdentityPolicies {
  const builtIn = builtInIdentityPolicies(caller);
  if (builtIn === "unrestricted" || !caller.customPolicy) return builtIn;
  return [...builtIn, { name: caller.customRoleName ?? "CustomRole", document: customPolicyDocument(caller.customPolicy) }];
}

/** What the engine reads of a key: the facts its condition keys name, and its policy. */
export type KeyConditionSubject = Pick<KmsKey, "id" | "keySpec" | "keyUsage" | "origin" | "policy">;

/** Which condition keys that cost a query a policy text could name (cached by text, as the parsed policies are). */
interface Lookups {
  aliases: boolean;
  tags: boolean;
}
const NO_LOOKUPS: Lookups = { aliases: false, tags: false };
const lookupsIn = cachedByText((text): Lookups => {
  const aliases = /ResourceAliases/i.test(text);
  const tags = /ResourceTag/i.test(text);
  return aliases || tags ? { aliases, tags } : NO_LOOKUPS;
});
/** NO_LOOKUPS (the same object) when the text names neither. */
const lookupsNamedIn = (text: string | null | undefined): Lookups => (text ? lookupsIn(text) : NO_LOOKUPS);

/** What the engine reads of a key itself (no query). */
function keyValues(key: KeyConditionSubject, out: Record<string, string[] | undefined>): void {
  put(out, "kms:KeySpec", key.keySpec);
  put(out, "kms:CustomerMasterKeySpec", key.keySpec);
  put(out, "kms:KeyUsage", key.keyUsage);
  put(out, "kms:KeyOrigin", key.origin);
  put(out, "kms:KeyManager", "CUSTOMER");
  put(out, "kms:MultiRegion", false);
  put(out, "kms:GrantIsForAWSResource", false);
}

/** What the key's policy and the caller's role and custom policy could name between them. */
function lookupsFor(key: KeyConditionSubject, caller: Principal): Lookups {
  const a = lookupsNamedIn(key.policy);
  const b = lookupsNamedIn(caller.role);
  const c = lookupsNamedIn(caller.customPolicy);
  if (a === NO_LOOKUPS && b === NO_LOOKUPS && c === NO_LOOKUPS) return NO_LOOKUPS; // the usual case: no query, no allocation
  return { aliases: a.aliases || b.aliases || c.aliases, tags: a.tags || b.tags || c.tags };
}

/** The key's aliases and tags: a query each, made only when some policy could look at them. */
async function keyLookupValues(key: KeyConditionSubject, lookups: Lookups): Promise<Record<string, string[] | undefined>> {
  const out: Record<string, string[] | undefined> = {};
  if (lookups.aliases) {
    const aliases = await prisma.alias.findMany({ where: { keyId: key.id }, select: { name: true } });
    put(out, "kms:ResourceAliases", aliases.map((a) => a.name));
  }
  if (lookups.tags) {
    const tags = await prisma.keyTag.findMany({ where: { keyId: key.id } });
    for (const t of tags) put(out, `aws:ResourceTag/${t.tagKey}`, t.tagValue);
    put(out, "aws:TagKeys", undefined);
  }
  return out;
}

/** Everything the engine needs for one request on a key (also used by the simulator). */
export async function keyRequestContext(
  caller: Principal,
  action: string,
  ctx: KmsContext,
  key: KeyConditionSubject,
  request: RequestConditions = {},
): Promise<RequestContext> {
  const lookups = lookupsFor(key, caller);
  const looked = lookups.aliases || lookups.tags ? await keyLookupValues(key, lookups) : undefined;
  return new LazyRequestContext(caller.arn, caller.accountId, action, ctx.keyArn(key.id), request.encryptionContext, (values) => {
    callerValues(caller, values);
    keyValues(key, values);
    if (looked) Object.assign(values, looked);
    requestValues(values, request);
  });
}

/**
 * The request context with its condition values built on first read: only a
 * statement with a Condition reads them, and the usual policies (the default
 * key policy, the built-in roles) have none, so most calls never build them.
 * A class, not an object given a getter by Object.defineProperty: that gave
 * every context a hidden class of its own (~0.9 KB more allocated a request,
 * and a new shape for each of the engine's reads of ctx.action or ctx.resource).
 */
class LazyRequestContext implements RequestContext {
  #values: ConditionValues | undefined;
  readonly #fill: (values: Record<string, string[] | undefined>) => void;
  readonly encryptionContext?: Readonly<Record<string, string>>;
  constructor(
    readonly principalArn: string,
    readonly account: string,
    readonly action: string,
    readonly resource: string,
    encryptionContext: Readonly<Record<string, string>> | undefined,
    fill: (values: Record<string, string[] | undefined>) => void,
  ) {
    this.#fill = fill;
    if (encryptionContext) this.encryptionContext = encryptionContext;
  }

  get values(): ConditionValues {
    if (this.#values === undefined) {
      const built: Record<string, string[] | undefined> = {};
      this.#fill(built);
      this.#values = built as ConditionValues;
    }
    return this.#values;
  }
}

export async function grantsFor(keyId: string, grantee: string): Promise<GrantLike[]> {
  const rows = await prisma.kmsGrant.findMany({ where: { keyId, granteePrincipal: grantee } });
  return rows.map((g) => ({
    grantId: g.id,
    name: g.name,
    granteePrincipal: g.granteePrincipal,
    operations: g.operations,
    constraints: (g.constraints ?? null) as GrantLike["constraints"],
  }));
}

/** Evaluates (without throwing) an action on a key for a caller. */
export async function decideKeyAction(
  caller: Principal,
  action: string,
  ctx: KmsContext,
  key: KeyConditionSubject,
  request: RequestConditions = {},
): Promise<{ decision: Decision; request: RequestContext }> {
  const rc = await keyRequestContext(caller, action, ctx, key, request);
  const keyPolicy = keyPolicyDocument(key.policy);
  const identity = identityPoliciesFor(caller);
  let decision = evaluateKeyAccess({ keyPolicy, identity, ctx: rc });
  if (!decision.allowed && !decision.explicitDeny) {
    // Grants only matter when nothing denied explicitly and policies did not allow.
    decision = evaluateKeyAccess({ keyPolicy, identity, grants: await grantsFor(key.id, caller.arn), ctx: rc });
  }
  return { decision, request: rc };
}

/** Authorizes an action on a resolved key; AccessDeniedException with AWS's message otherwise. */
export async function authorizeKeyAction(
  caller: Principal,
  action: string,
  ctx: KmsContext,
  key: KmsKey,
  request: RequestConditions = {},
): Promise<Decision> {
  assertCallerActive(caller, action);
  checkGrantTokens(request.grantTokens);
  const { decision, request: rc } = await decideKeyAction(caller, action, ctx, key, request);
  if (!decision.allowed) throw new PolicyDeniedException(decision, rc);
  return decision;
}

export function accountRequestContext(caller: Principal, action: string, request: RequestConditions = {}): RequestContext {
  return new LazyRequestContext(caller.arn, caller.accountId, action, "*", undefined, (values) => {
    callerValues(caller, values);
    requestValues(values, request);
  });
}

export function decideAccountAction(caller: Principal, action: string, request: RequestConditions = {}) {
  const rc = accountRequestContext(caller, action, request);
  return { decision: evaluateAccountAccess(identityPoliciesFor(caller), rc), request: rc };
}

/** Authorizes an action that names no key (CreateKey, ListKeys, ListAliases, GenerateRandom, …): identity policies alone. */
export function authorizeAccountAction(caller: Principal, action: string, request: RequestConditions = {}): Decision {
  assertCallerActive(caller, action);
  const { decision, request: rc } = decideAccountAction(caller, action, request);
  if (!decision.allowed) throw new PolicyDeniedException(decision, rc);
  return decision;
}

/**
 * Identity-policy check only (no key policy): kept for console queries that
 * read across keys (lib/console/keys). Key operations use authorizeKeyAction.
 */
export function authorizeKms(caller: Principal, action: string): void {
  authorizeAccountAction(caller, action);
}

export const LOCKOUT_MESSAGE = "The new key policy will not allow you to update the key policy in the future.";

/**
 * AWS's policy lockout safety check: the new key policy must still let the
 * caller call PutKeyPolicy (else MalformedPolicyDocumentException), unless bypassed.
 *
 * The later PutKeyPolicy it predicts is a call on this key, so it is judged
 * with the key's own condition values (kms:KeySpec, kms:KeyUsage,
 * aws:ResourceTag/…, kms:ResourceAliases, …): an administrator statement
 * conditioned on them is neither refused nor passed by mistake. The key is
 * taken with the new policy, so tags and aliases are looked up when the new
 * policy names them. `pendingTags` are the tags CreateKey is about to give
 * the key (not in the database yet).
 */
export async function checkPolicyLockout(
  caller: Principal,
  ctx: KmsContext,
  key: Omit<KeyConditionSubject, "policy">,
  policy: { text: string; document: PolicyDocument },
  pendingTags: ReadonlyArray<{ TagKey: string; TagValue: string }> = [],
): Promise<void> {
  const tagValues = Object.fromEntries(pendingTags.map((t) => [`aws:ResourceTag/${t.TagKey}`, t.TagValue]));
  const rc = await keyRequestContext(caller, "kms:PutKeyPolicy", ctx, { ...key, policy: policy.text }, { values: tagValues });
  const decision = evaluateKeyAccess({ keyPolicy: policy.document, identity: identityPoliciesFor(caller), ctx: rc });
  if (!decision.allowed) throw new MalformedPolicyDocumentException(LOCKOUT_MESSAGE);
}
