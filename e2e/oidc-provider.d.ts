// oidc-provider (a dev dependency of the SSO e2e test) ships no types: the
// little of it e2e/sso.spec.ts uses.
declare module "oidc-provider" {
  import type { Server } from "node:http";
  interface Account {
    accountId: string;
    claims: () => Record<string, unknown>;
  }
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown> & { findAccount?: (ctx: unknown, id: string) => Account | Promise<Account> });
    listen(port: number): Server;
  }
}
