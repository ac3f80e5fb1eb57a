// Key policies and grants.
import type { KmsOperation } from "../operation";
import { createGrant, listGrants, listRetirableGrants, retireGrant, revokeGrant } from "./grants";
import { getKeyPolicy, listKeyPolicies, putKeyPolicy } from "./key-policy";

export const policyOperations: Record<string, KmsOperation> = {
  GetKeyPolicy: getKeyPolicy,
  PutKeyPolicy: putKeyPolicy,
  ListKeyPolicies: listKeyPolicies,
  CreateGrant: createGrant,
  ListGrants: listGrants,
  ListRetirableGrants: listRetirableGrants,
  RetireGrant: retireGrant,
  RevokeGrant: revokeGrant,
};
