import type { Metadata } from "next";
import { requirePrincipal } from "@/lib/console/auth/current";
import { describeRootKeyCustody } from "@/lib/kms/root-key-custody";
import { UnsealForm } from "@/components/settings/unseal-form";

export const metadata: Metadata = { title: "Unseal" };

// Sign-in needs only the database, not the root key, so custodians sign in as themselves and the
// audit trail names who entered each share.
export default async function UnsealPage() {
  const status = await describeRootKeyCustody(await requirePrincipal());
  return (
    <div className="flex max-w-lg flex-col gap-6">
      <h1 className="text-2xl font-semibold">Unseal Keyhold</h1>
      {status.kind !== "shamir" ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">This Keyhold&apos;s root key is not Shamir-sealed ({status.kind}): there is nothing to unseal.</p>
      ) : (
        <section className="rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900">
          <UnsealForm
            initial={{ sealed: status.sealed, entered: status.entered ?? 0, threshold: status.threshold ?? 0, custodians: status.custodians ?? 0 }}
          />
        </section>
      )}
    </div>
  );
}
