// Approvals (quorum): M-of-N approval of protected operations. Sits above
// lib/kms and lib/access: the gate holds calls, decisions execute them.
export { invokeKmsWithApproval, updateApprovalRule, ApprovalRequiredException } from "./gate";
export { decideApprovalRequest, type DecisionResult } from "./decide";
export { listApprovalRequests, getApprovalRequest, countAwaitingMe, type RequestSummary } from "./requests";
export { listApprovalRules, quorumIsOff, type RuleSummary } from "./rules";
export { expireDueRequests } from "./expiry";
export { expireUnrevealedSecrets } from "./secret-expiry";
export { PROTECTABLE_OPERATIONS } from "./operations";
