"use client";

import { Button } from "@/components/ui/button";

export default function AuditError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section
      role="alert"
      className="flex flex-col items-start gap-3 rounded-lg border border-red-200 bg-red-50 p-6 text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
    >
      <h1 className="text-lg font-semibold">The audit trail could not be shown</h1>
      <p className="text-sm">{error.message || "Something went wrong."}</p>
      <Button variant="secondary" onClick={reset}>
        Retry
      </Button>
    </section>
  );
}
