// A policy denial that remembers what decided it. The wire (lib/api) still
// answers only AWS's name and message; the console reads the decision to name
// the deciding statement instead of showing a bare AccessDeniedException.
import { AccessDeniedException } from "@/lib/errors";
import { denialMessage, type Decision, type DecidingStatement, type DecisionReason, type RequestContext } from "@/lib/policy";

/** What a denied caller may learn about its own denial: the action, the key, and the statement (or its absence) that decided. */
export interface DenialFacts {
  action: string;
  resource: string;
  reason: DecisionReason;
  statement?: DecidingStatement;
}

/** The facts of a decision on a request. */
export function factsOf(decision: Decision, request: Pick<RequestContext, "action" | "resource">): DenialFacts {
  return { action: request.action, resource: request.resource, reason: decision.reason, ...(decision.statement ? { statement: decision.statement } : {}) };
}

export class PolicyDeniedException extends AccessDeniedException {
  readonly facts: DenialFacts;
  constructor(decision: Decision, request: RequestContext) {
    super(denialMessage(decision, request));
    this.facts = factsOf(decision, request);
  }
}

/** The decision behind an error, when the policy engine refused the call. */
export function denialFacts(e: unknown): DenialFacts | undefined {
  return e instanceof PolicyDeniedException ? e.facts : undefined;
}
