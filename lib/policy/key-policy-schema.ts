// The key policy grammar as a JSON Schema, for the console's JSON editor:
// problems are marked where they are while the user types. The server's
// parser (document.ts) stays the authority — it also checks what a schema
// cannot say (ARN and condition-operand formats, lockout safety).
const stringOrList = {
  anyOf: [
    { type: "string", minLength: 1 },
    { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
  ],
};

const principal = {
  anyOf: [
    { const: "*" },
    {
      type: "object",
      minProperties: 1,
      properties: { AWS: stringOrList, Service: stringOrList, Federated: stringOrList, CanonicalUser: stringOrList },
      additionalProperties: false,
    },
  ],
};

const statement = {
  type: "object",
  required: ["Effect"],
  properties: {
    Sid: { type: "string" },
    Effect: { enum: ["Allow", "Deny"] },
    Principal: principal,
    NotPrincipal: principal,
    Action: stringOrList,
    NotAction: stringOrList,
    Resource: stringOrList,
    NotResource: stringOrList,
    Condition: {
      type: "object",
      additionalProperties: {
        type: "object",
        minProperties: 1,
        additionalProperties: {
          anyOf: [{ type: ["string", "number", "boolean"] }, { type: "array", minItems: 1, items: { type: ["string", "number", "boolean"] } }],
        },
      },
    },
  },
  additionalProperties: false,
  // Exactly one of each pair, as the grammar requires.
  allOf: [
    { oneOf: [{ required: ["Action"] }, { required: ["NotAction"] }] },
    { not: { required: ["Principal", "NotPrincipal"] } },
    { not: { required: ["Resource", "NotResource"] } },
  ],
};

export const KEY_POLICY_SCHEMA = {
  type: "object",
  required: ["Version", "Statement"],
  properties: {
    Version: { enum: ["2012-10-17", "2008-10-17"] },
    Id: { type: "string" },
    Statement: {
      if: { type: "array" },
      then: { type: "array", minItems: 1, items: statement },
      else: statement,
    },
  },
  additionalProperties: false,
} as const;
