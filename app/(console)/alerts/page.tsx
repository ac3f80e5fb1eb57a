import type { Metadata } from "next";
import { Forbidden } from "@/components/shell/forbidden";
import { listAlertDeliveries, listNotificationRules } from "@/lib/alerts/rules";
import { requirePrincipal } from "@/lib/console/auth/current";
import { AlertRules, DeliveryLog } from "./alert-rules";

export const metadata: Metadata = { title: "Alerts" };

export default async function AlertsPage() {
  const principal = await requirePrincipal();
  // The page only decides what to render; the service authorizes (and audits) the reads.
  if (principal.role !== "ADMINISTRATOR" && principal.role !== "AUDITOR") return <Forbidden what="the Alerts page" />;
  const [rules, deliveries] = await Promise.all([listNotificationRules(principal), listAlertDeliveries(principal, { limit: 100 })]);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold">Alerts</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">
          Notification rules watch the audit trail and POST a signed JSON message to a webhook when events match. Matching runs in the background, never
          on a KMS call&apos;s path; failed deliveries are retried with backoff.
        </p>
      </div>
      <AlertRules rules={rules} canEdit={principal.role === "ADMINISTRATOR"} />
      <DeliveryLog deliveries={deliveries} />
    </div>
  );
}
