"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { seedDemoAction } from "@/app/actions/demo";
import { Button } from "@/components/ui/button";

/** Fills an empty installation with demo keys, users and a week of traffic (all audited), then shows the dashboard again. */
export function DemoSeedButton() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <div className="mt-3 flex flex-wrap items-center gap-3">
      <Button
        variant="secondary"
        busy={pending}
        onClick={() =>
          start(async () => {
            setMessage(null);
            const r = await seedDemoAction();
            if (!r.ok) return setMessage({ ok: false, text: `${r.error.name}: ${r.error.message}` });
            setMessage({
              ok: true,
              text: `Demo data loaded: ${r.data.keysCreated} keys, ${r.data.usersCreated.length} users, a week of traffic: ${r.data.trafficCalls} calls, ${r.data.deniedCalls} denied (see Audit).`,
            });
            router.refresh();
          })
        }
      >
        {pending ? "Loading demo data…" : "Load demo data"}
      </Button>
      {message && (
        <p role={message.ok ? "status" : "alert"} className={message.ok ? "text-sm text-emerald-700 dark:text-emerald-400" : "text-sm text-red-700 dark:text-red-400"}>
          {message.text}
        </p>
      )}
    </div>
  );
}
