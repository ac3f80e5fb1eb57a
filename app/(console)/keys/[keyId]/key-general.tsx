"use client";

import type { KeyDetail } from "@/lib/console/keys/types";

export function General({ k }: { k: KeyDetail }) {
  const rows: Array<[string, React.ReactNode]> = [
    ["Key spec", k.keySpec],
    ["Key usage", k.keyUsage],
    ["Origin", k.origin === "AWS_KMS" ? "Keyhold (AWS_KMS)" : k.origin],
    ["Regionality", `Single-Region (${k.region})`],
    ["Account", k.accountId],
  ];
  if (k.encryptionAlgorithms.length) rows.push(["Encryption algorithms", k.encryptionAlgorithms.join(", ")]);
  if (k.signingAlgorithms.length) rows.push(["Signing algorithms", k.signingAlgorithms.join(", ")]);
  if (k.macAlgorithms.length) rows.push(["MAC algorithms", k.macAlgorithms.join(", ")]);
  if (k.keyAgreementAlgorithms.length) rows.push(["Key agreement algorithms", k.keyAgreementAlgorithms.join(", ")]);
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-500">{label}</dt>
          <dd className="font-mono text-xs break-all sm:text-sm">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
