"use client";

import { useQuery } from "@tanstack/react-query";
import { ActionError } from "@/components/keys/client";
import { CopyButton } from "@/components/ui/copy-button";
import { Skeleton } from "@/components/ui/skeleton";
import type { KeyDetail } from "@/lib/console/keys/types";

export function PublicKey({ k }: { k: KeyDetail }) {
  const url = `/api/keys/${k.id}/public-key`;
  const pem = useQuery({
    queryKey: ["public-key", k.id],
    enabled: k.keyState === "Enabled",
    queryFn: async () => {
      const res = await fetch(url, { cache: "no-store" });
      if (!res.ok) throw new ActionError("Error", ((await res.json().catch(() => ({}))) as { message?: string }).message ?? "Failed");
      return res.text();
    },
    staleTime: Infinity,
  });
  if (k.keyState !== "Enabled") return <p className="text-sm">The public key is available while the key is enabled.</p>;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex gap-2">
        <a href={`${url}?format=pem`} download className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800">
          Download PEM
        </a>
        <a href={`${url}?format=der`} download className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800">
          Download DER
        </a>
        {pem.data && <CopyButton value={pem.data} label="public key" className="size-8" />}
      </div>
      {pem.isPending ? (
        <Skeleton className="h-40" />
      ) : pem.isError ? (
        <p className="text-sm text-red-600">{pem.error.message}</p>
      ) : (
        <pre className="overflow-auto rounded bg-slate-50 p-4 font-mono text-xs dark:bg-slate-950" data-testid="public-key-pem">
          {pem.data}
        </pre>
      )}
    </div>
  );
}
