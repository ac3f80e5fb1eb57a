// Every implemented KMS operation, through invokeKms (the path of the console
// and the CLI; the API reaches the same function), as each built-in role, a
// user with no role and a user who must change their password: each cell
// allowed (any outcome but AccessDeniedException) or denied as designed.
import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { kmsOperations } from "@/lib/kms";
import { makeUser, operator } from "../helpers";
import { call, outcome, userWith } from "./fixtures";
import { authorizationMatrix } from "./matrix";

// The table of operations and allowed roles is shared with the API door
// (tests/compat/authorization-matrix-api.test.ts): see ./matrix.ts.
type Who = "ADMINISTRATOR" | "KEY_ADMINISTRATOR" | "KEY_USER" | "AUDITOR" | "NONE" | "MUST_CHANGE";
const WHO: Who[] = ["ADMINISTRATOR", "KEY_ADMINISTRATOR", "KEY_USER", "AUDITOR", "NONE", "MUST_CHANGE"];

let callers: Record<Who, Principal>;
let root: Principal;
const { rows: MATRIX, setup } = authorizationMatrix((op, input) => call(op, root, input));

beforeAll(async () => {
  root = await operator();
  callers = {
    ADMINISTRATOR: await userWith("ADMINISTRATOR"),
    KEY_ADMINISTRATOR: await userWith("KEY_ADMINISTRATOR"),
    KEY_USER: await userWith("KEY_USER"),
    AUDITOR: await userWith("AUDITOR"),
    NONE: await userWith(null),
    MUST_CHANGE: (await makeUser("ADMINISTRATOR", { mustChangePassword: true })).principal,
  };
  await setup();
});

describe("authorization matrix", () => {
  it("covers every operation of the key service", () => {
    expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(kmsOperations).sort());
  });

  const cells = Object.entries(MATRIX).flatMap(([op, [allowed]]) => WHO.map((who) => [op, who, (allowed as Who[]).includes(who)] as const));
  it.each(cells)("%s as %s → allowed: %s", async (op, who, allowed) => {
    const input = await MATRIX[op]![1]();
    const r = await outcome(call(op, callers[who], input));
    if (allowed) {
      expect(r.name, `${op} as ${who}: ${r.message}`).not.toBe("AccessDeniedException");
    } else {
      expect(r.name, `${op} as ${who} should be denied`).toBe("AccessDeniedException");
      if (who !== "MUST_CHANGE") {
        expect(r.message).toContain(`User: ${callers[who].arn} is not authorized to perform: kms:`);
      }
    }
  });

  it("the account root (operator) may do everything the default key policy allows", async () => {
    for (const op of ["Encrypt", "ScheduleKeyDeletion", "GetKeyPolicy", "CreateGrant"]) {
      const r = await outcome(call(op, root, await MATRIX[op]![1]()));
      expect(r.name, op).not.toBe("AccessDeniedException");
    }
  });
});
