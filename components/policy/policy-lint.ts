// Inline problems for the key policy JSON editor: the JSON Schema of the
// policy grammar (lib/policy/key-policy-schema.ts) checked with ajv, each
// problem placed on the part of the text it is about (jsonc-parser's tree).
import type { Diagnostic } from "@codemirror/lint";
import type { ErrorObject } from "ajv";
import { findNodeAtLocation, parseTree, type Node } from "jsonc-parser";
// Compiled ahead of time (scripts/generate-policy-validator.ts): compiling in
// the browser would need 'unsafe-eval', which the console's CSP forbids.
import { validate as validateGenerated } from "./key-policy-validator.generated";

const validate = validateGenerated as ((doc: unknown) => boolean) & { errors?: ErrorObject[] | null };

const pathOf = (instancePath: string) =>
  instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));

const label = (path: Array<string | number>) =>
  path.length === 0 ? "The policy" : path.map((p) => (typeof p === "number" ? `[${p + 1}]` : `.${p}`)).join("").replace(/^\./, "");

function message(e: ErrorObject, path: Array<string | number>): string {
  const last = path[path.length - 1];
  switch (e.keyword) {
    case "additionalProperties":
      return `${label(path)} has an unknown element "${String(e.params.additionalProperty)}".`;
    case "required":
      return `${label(path)} needs "${String(e.params.missingProperty)}".`;
    case "enum":
      return `${label(path)} must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}.`;
    case "anyOf":
      return last === "Principal" || last === "NotPrincipal"
        ? `${label(path)} must be "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}.`
        : `${label(path)} must be a string or a non-empty list of strings.`;
    case "oneOf":
      return `${label(path)} needs exactly one of "Action" or "NotAction".`;
    case "not":
      return `${label(path)} may not have both Principal and NotPrincipal, or both Resource and NotResource.`;
    default:
      return `${label(path)} ${e.message ?? "is not valid"}.`;
  }
}

/** Schema problems of a policy that is valid JSON (syntax errors are the JSON linter's). */
export function policySchemaDiagnostics(text: string): Diagnostic[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [];
  }
  if (validate(doc)) return [];
  const tree = parseTree(text);
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of validate.errors ?? []) {
    // Alternatives' own failures restate the umbrella error (anyOf/oneOf); "if" only routes.
    if (/\/(anyOf|oneOf)\/\d+\//.test(e.schemaPath) || e.keyword === "if") continue;
    const path = pathOf(e.instancePath);
    let node: Node | undefined = tree ? findNodeAtLocation(tree, path) : undefined;
    if (e.keyword === "additionalProperties" && node) {
      const key = String(e.params.additionalProperty);
      node = node.children?.find((p) => p.children?.[0]?.value === key)?.children?.[0] ?? node;
    }
    const problem = message(e, path);
    if (seen.has(problem)) continue;
    seen.add(problem);
    const from = node?.offset ?? 0;
    out.push({ from, to: from + (node?.length ?? 0), severity: "error", message: problem, source: "key policy schema" });
  }
  return out;
}
