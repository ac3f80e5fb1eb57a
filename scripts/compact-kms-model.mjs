// Regenerates lib/api/kms-model.json, the wire model the API deserialises
// with, from the botocore AWS KMS service model (Apache-2.0):
//   node scripts/compact-kms-model.mjs path/to/botocore/data/kms/2014-11-01/service-2.json
// Keeps operations (input/output/errors) and shapes without documentation.
import { readFileSync, writeFileSync } from "node:fs";

// The source model is an explicit argument: nothing outside the repository is assumed to exist.
if (!process.argv[2]) {
  console.error("usage: node scripts/compact-kms-model.mjs <botocore kms service-2.json>");
  process.exit(2);
}
const source = JSON.parse(readFileSync(process.argv[2], "utf8"));
const KEEP = ["type", "required", "members", "member", "key", "value", "min", "max", "enum", "pattern", "exception"];
const shapes = {};
for (const [name, shape] of Object.entries(source.shapes)) {
  const out = {};
  for (const k of KEEP) if (shape[k] !== undefined) out[k] = shape[k];
  if (out.members) out.members = Object.fromEntries(Object.entries(out.members).map(([m, v]) => [m, { shape: v.shape }]));
  if (out.member) out.member = { shape: out.member.shape };
  if (out.key) out.key = { shape: out.key.shape };
  if (out.value) out.value = { shape: out.value.shape };
  shapes[name] = out;
}
const operations = Object.fromEntries(
  Object.entries(source.operations).map(([name, op]) => [
    name,
    { input: op.input?.shape, output: op.output?.shape, errors: (op.errors ?? []).map((e) => e.shape) },
  ]),
);
const model = { metadata: source.metadata, operations, shapes };
writeFileSync(new URL("../lib/api/kms-model.json", import.meta.url), JSON.stringify(model) + "\n");
console.log(`${Object.keys(operations).length} operations, ${Object.keys(shapes).length} shapes`);
