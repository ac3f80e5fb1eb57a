"use client";

import { TriangleAlert } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";

/**
 * Error boundary content for console routes: what failed, a retry and a way out.
 * In production Next replaces a server error's message with a generic one; its
 * digest is the reference to look up in the server log.
 */
export function RouteError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section
      role="alert"
      className="mx-auto flex max-w-xl flex-col items-start gap-3 rounded-lg border border-red-200 bg-red-50 p-6 text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
    >
      <div className="flex items-center gap-2">
        <TriangleAlert aria-hidden className="size-6" />
        <h1 className="text-lg font-semibold">This page could not be shown</h1>
      </div>
      <p className="text-sm">{error.message || "Something went wrong."}</p>
      {error.digest && <p className="font-mono text-xs">Reference for the server log: {error.digest}</p>}
      <div className="flex items-center gap-3">
        <Button variant="secondary" onClick={reset}>
          Retry
        </Button>
        <Link href="/" className="text-sm underline">
          Go to the dashboard
        </Link>
      </div>
    </section>
  );
}
