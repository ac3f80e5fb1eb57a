// Why an AWS KMS operation that Keyhold does not implement answers
// UnsupportedOperationException: only multi-Region and custom-key-store
// operations remain.
const WHY: Array<[RegExp, string]> = [
  [/^(ReplicateKey|UpdatePrimaryRegion)$/, "Multi-Region keys are not supported: Keyhold serves a single region."],
  [
    /CustomKeyStore/,
    "Custom key stores (AWS CloudHSM and external key stores) are not supported: Keyhold's own key store (a local root key) protects every key.",
  ],
];

export function unsupportedReason(operation: string): string {
  return WHY.find(([re]) => re.test(operation))?.[1] ?? `${operation} is not available in this version of Keyhold.`;
}
