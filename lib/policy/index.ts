// The policy engine: AWS policy grammar and evaluation (key policies,
// identity policies from roles, grants).
export * from "./document";
export * from "./conditions";
export * from "./evaluate";
export * from "./roles";
