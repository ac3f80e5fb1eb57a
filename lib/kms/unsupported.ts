// Why an AWS KMS operation that Keyhold does not implement answers
// UnsupportedOperationException: only the multi-Region operations remain.
const WHY: Array<[RegExp, string]> = [
  [/^(ReplicateKey|UpdatePrimaryRegion)$/, "Multi-Region keys are not supported: Keyhold serves a single region."],
];

export function unsupportedReason(operation: string): string {
  return WHY.find(([re]) => re.test(operation))?.[1] ?? `${operation} is not available in this version of Keyhold.`;
}
