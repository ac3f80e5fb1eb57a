// Settings card: where the root key lives (local file, Shamir-sealed, HSM), sealed or not, M of N
// custodians, the HSM token; administrators can seal now.
import Link from "next/link";
import { requirePrincipal } from "@/lib/console/auth/current";
import { describeRootKeyCustody } from "@/lib/kms/root-key-custody";
import { Badge } from "@/components/ui/badge";
import { ruleFor } from "@/lib/approvals/rules";
import { HOST_PROTECTABLE } from "@/lib/approvals/operations";
import { RequestCustodyChange } from "./request-custody-change";
import { SealNowButton } from "./seal-now-button";

const KIND_LABEL: Record<string, string> = {
  local: "Local key file (unprotected at rest)",
  shamir: "Shamir-sealed (custodians' shares)",
  pkcs11: "HSM (PKCS#11, non-extractable key)",
};

export async function RootKeyCustodyCard() {
  const principal = await requirePrincipal();
  const status = await describeRootKeyCustody(principal);
  const rows: Array<[string, React.ReactNode]> = [
    ["Root key store", KIND_LABEL[status.kind] ?? status.kind],
    [
      "State",
      status.sealed ? (
        <span className="flex items-center gap-2">
          <Badge tone="red">Sealed</Badge>
          {status.entered ?? 0} of {status.threshold} unseal shares entered
        </span>
      ) : (
        <Badge tone="green">Unsealed</Badge>
      ),
    ],
  ];
  if (status.kind === "shamir") rows.push(["Custodians", `any ${status.threshold} of ${status.custodians}`]);
  if (status.kind === "pkcs11") rows.push(["HSM token", `${status.tokenLabel ?? ""} (key ${status.keyLabel ?? ""})`]);
  // Under an approval rule, administrators request a migration or rekey here (the host's CLI runs it once approved).
  const held = principal.role === "ADMINISTRATOR" ? (await Promise.all(HOST_PROTECTABLE.map(async (op) => ((await ruleFor(op)) ? op : null)))).filter((op) => op !== null) : [];
  const requestable = held.filter((op) => op !== "RekeyRootKey" || status.kind === "shamir");
  if (status.fingerprint) rows.push(["Root key fingerprint", <code key="fp">{status.fingerprint}</code>]);
  return (
    <section aria-labelledby="root-key-custody-title" className="rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900" data-testid="root-key-custody">
      <div className="flex items-center justify-between gap-4 px-6 pt-4">
        <h2 id="root-key-custody-title" className="font-medium">
          Root key custody
        </h2>
        <div className="flex gap-2">
          {status.sealed && (
            <Link href="/unseal" className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700">
              Unseal
            </Link>
          )}
          {status.kind === "shamir" && !status.sealed && principal.role === "ADMINISTRATOR" && <SealNowButton />}
        </div>
      </div>
      <dl className="divide-y divide-slate-200 dark:divide-slate-800">
        {rows.map(([label, value]) => (
          <div key={label} className="grid grid-cols-3 gap-4 px-6 py-4 text-sm">
            <dt className="font-medium text-slate-600 dark:text-slate-400">{label}</dt>
            <dd className="col-span-2">{value}</dd>
          </div>
        ))}
      </dl>
      {requestable.length > 0 && <RequestCustodyChange operations={requestable} currentKind={status.kind} />}
    </section>
  );
}
