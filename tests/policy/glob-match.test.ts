// AWS wildcard matching (StringLike, ArnLike, actions, resources) without a
// RegExp: the same answers, and bounded time on patterns that make a
// backtracking RegExp run for minutes against a long caller-chosen value.
import { describe, expect, it } from "vitest";
import { globMatch } from "@/lib/policy/conditions";

describe("globMatch", () => {
  it.each([
    ["*", "", true],
    ["*", "anything at all", true],
    ["", "", true],
    ["", "a", false],
    ["abc", "abc", true],
    ["abc", "abcd", false],
    ["a?c", "abc", true],
    ["a?c", "ac", false],
    ["a*c", "ac", true],
    ["a*c", "abbbc", true],
    ["a*c", "abbbd", false],
    ["*-*-prod", "team-a-prod", true],
    ["*-*-prod", "team-prod", false],
    ["arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:us-east-1:111122223333:key/1234", true],
    ["arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:us-east-1:444455556666:key/1234", false],
    ["kms:Encrypt*", "kms:EncryptionContext", true],
    ["a.b", "axb", false], // regex metacharacters are literal
    ["(x)+", "(x)+", true],
    ["**a", "ba", true],
    ["a*", "a\nb", true], // `*` spans newlines, as before
    ["?", "\u00e9", true],
  ])("%j against %j is %s", (pattern, value, expected) => {
    expect(globMatch(pattern, value)).toBe(expected);
  });

  it("ignores case when asked (action names)", () => {
    expect(globMatch("kms:encrypt", "kms:Encrypt", true)).toBe(true);
    expect(globMatch("KMS:Describe*", "kms:DescribeKey", true)).toBe(true);
    expect(globMatch("kms:encrypt", "kms:Encrypt")).toBe(false);
  });

  it("answers a pattern that makes a RegExp backtrack exponentially", () => {
    // /^.*a.*a.*a.*a.*a.*a.*b$/ against 20,000 "a"s does not finish in any useful time.
    const value = "a".repeat(20_000);
    expect(globMatch("*a*a*a*a*a*a*b", value)).toBe(false);
    expect(globMatch("*a*a*a*a*a*a*", value)).toBe(true);
  });
});
