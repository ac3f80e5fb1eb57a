import { describe, expect, it } from "vitest";
import { policySchemaDiagnostics } from "./policy-lint";

const policy = (statement: object) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "A", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*", ...statement }] }, null, 2);

describe("key policy schema diagnostics", () => {
  it("finds nothing wrong with a valid policy, and leaves syntax errors to the JSON linter", () => {
    expect(policySchemaDiagnostics(policy({}))).toEqual([]);
    expect(policySchemaDiagnostics("{ not json")).toEqual([]);
  });

  it("marks a bad Effect on its value, with the allowed values", () => {
    const text = policy({ Effect: "Maybe" });
    const [d, ...rest] = policySchemaDiagnostics(text);
    expect(rest).toEqual([]);
    expect(d!.message).toBe('Statement[1].Effect must be one of "Allow", "Deny".');
    expect(text.slice(d!.from, d!.to)).toBe('"Maybe"');
  });

  it("marks an unknown element on its name, a bad principal and a missing Action", () => {
    const unknown = policy({ Actions: "kms:Encrypt" });
    const messages = policySchemaDiagnostics(unknown).map((d) => [d.message, unknown.slice(d.from, d.to)]);
    expect(messages).toContainEqual(['Statement[1] has an unknown element "Actions".', '"Actions"']);

    const principal = policySchemaDiagnostics(policy({ Principal: ["arn:aws:iam::111122223333:root"] }));
    expect(principal.map((d) => d.message)).toEqual(['Statement[1].Principal must be "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}.']);

    const text = JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Resource: "*" } });
    expect(policySchemaDiagnostics(text).map((d) => d.message)).toEqual(['Statement needs exactly one of "Action" or "NotAction".']);
  });
});
