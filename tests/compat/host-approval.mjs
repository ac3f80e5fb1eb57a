#!/usr/bin/env node
// Run by root-key-migrate.test.ts with the server stopped, on its own database and data folder:
// administrators request and approve a root key change through the same service layer the
// console's Settings page and Approvals page call (lib/approvals), under the data-folder lock as
// the CLI takes it. Prints the request's ID.
// Usage: host-approval.mjs REQUESTER APPROVER PASSWORD OPERATION TARGET-JSON (password on stdin)
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

process.env.LOG_LEVEL ??= "warn";
process.env.KEYHOLD_LOG_TO_STDERR = "1";
const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const { register } = await import("tsx/esm/api");
register({ tsconfig: join(root, "tsconfig.json") });
const { requestAndApprove } = await import(join(root, "tests", "compat", "host-approval-run.ts"));
const [requester, approver, operation, target] = process.argv.slice(2);
const password = readFileSync(0, "utf8").trim();
console.log(await requestAndApprove({ requester, approver, password, operation, target: JSON.parse(target) }));
