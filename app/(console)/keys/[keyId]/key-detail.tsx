"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { KeyActivity } from "@/components/audit/key-activity";
import { ActionError, getJson, keyName } from "@/components/keys/client";
import { isAsymmetric } from "@/components/keys/labels";
import { rotationControls, type RotationAccess } from "@/components/keys/rotation-controls";
import { KeyPolicyEditor } from "@/components/policy/key-policy-editor";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { Tabs } from "@/components/ui/tabs";
import type { KeyDetail } from "@/lib/console/keys/types";
import { useKeyMutation } from "../use-key-mutation";
import { KeyActionDialogs, type KeyAction } from "./key-action-dialogs";
import { Aliases } from "./key-aliases";
import { General } from "./key-general";
import { KeyHeader } from "./key-header";
import { PublicKey } from "./key-public-key";
import { Rotation } from "./key-rotation";
import { Tags } from "./key-tags";

type Pending = KeyAction | null;

export function KeyDetailView({
  keyId,
  canManage,
  canAudit,
  canSimulate = false,
  rotationAccess,
  initialError,
  initial,
}: {
  keyId: string;
  /** The key as the page read it on the server (its first render needs no fetch). */
  initial?: KeyDetail;
  canManage: boolean;
  canAudit: boolean;
  canSimulate?: boolean;
  rotationAccess: RotationAccess;
  initialError?: string;
}) {
  const [tab, setTab] = useState("general");
  const [pending, setPending] = useState<Pending>(null);
  const [banner, setBanner] = useState(initialError ?? "");
  const key = useQuery({
    queryKey: ["key", keyId],
    queryFn: () => getJson<KeyDetail>(`/api/keys/${encodeURIComponent(keyId)}`),
    initialData: initial,
    retry: (n, e) => (e as ActionError).type !== "NotFoundException" && n < 1,
  });

  const simple = useKeyMutation({
    run: ({ fn }: { keyId: string; fn: () => Promise<unknown>; message: string; patch?: Partial<KeyDetail> }) => fn(),
    patch: (v) => v.patch ?? {},
    success: (v) => v.message,
  });
  const run = (fn: () => Promise<unknown>, message: string, patch?: Partial<KeyDetail>) =>
    simple.mutateAsync({ keyId, fn, message, patch }).catch(() => undefined);

  if (key.isPending) {
    return (
      <div className="flex flex-col gap-4" aria-busy>
        <Skeleton className="h-8 w-80" />
        <Skeleton className="h-40" />
        <Skeleton className="h-64" />
      </div>
    );
  }
  if (key.isError) {
    const notFound = (key.error as ActionError).type === "NotFoundException";
    return (
      <section role="alert" className="flex flex-col items-start gap-3 rounded-lg border border-red-200 bg-red-50 p-6 text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
        <h1 className="text-lg font-semibold">{notFound ? "Key not found" : "The key could not be loaded"}</h1>
        <p className="text-sm">{key.error.message}</p>
        <div className="flex gap-2">
          {!notFound && (
            <Button variant="secondary" onClick={() => key.refetch()}>
              Retry
            </Button>
          )}
          <Link href="/keys" className="text-sm text-indigo-700 underline dark:text-indigo-300">
            Back to keys
          </Link>
        </div>
      </section>
    );
  }

  const k = key.data;
  const name = keyName(k);
  const symmetric = k.keySpec === "SYMMETRIC_DEFAULT";
  const rotation = rotationControls(k, rotationAccess);
  const tabs = [
    { id: "general", label: "Cryptographic configuration" },
    { id: "aliases", label: "Aliases" },
    { id: "tags", label: "Tags" },
    ...(symmetric ? [{ id: "rotation", label: "Key rotation" }] : []),
    ...(isAsymmetric(k.keySpec) ? [{ id: "public", label: "Public key" }] : []),
    { id: "policy", label: "Key policy" },
    ...(canAudit ? [{ id: "activity", label: "Activity" }] : []),
  ];

  return (
    <div className="flex flex-col gap-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/keys" className="text-indigo-700 underline dark:text-indigo-300">
          Keys
        </Link>{" "}
        / <span className="font-mono">{name}</span>
      </nav>

      {banner && (
        <div role="alert" className="flex items-start justify-between gap-4 rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          <span>The key was created, but its alias was not: {banner}</span>
          <Button variant="ghost" size="sm" onClick={() => setBanner("")}>
            Dismiss
          </Button>
        </div>
      )}

      <KeyHeader k={k} canManage={canManage} canRotateNow={rotation.onDemand.enabled} run={run} onAction={setPending} />

      <Tabs tabs={tabs} active={tabs.some((t) => t.id === tab) ? tab : "general"} onChange={setTab} label="Key details">
        <div className="rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900">
          {tab === "general" && <General k={k} />}
          {tab === "aliases" && <Aliases k={k} canManage={canManage} run={run} />}
          {tab === "tags" && <Tags k={k} canManage={canManage} run={run} />}
          {tab === "rotation" && symmetric && <Rotation k={k} controls={rotation} run={run} onRotate={() => setPending("rotate")} />}
          {tab === "public" && <PublicKey k={k} />}
          {tab === "policy" && <KeyPolicyEditor k={k} canEdit={canManage} canSimulate={canSimulate} />}
          {tab === "activity" && canAudit && <KeyActivity keyId={k.id} />}
        </div>
      </Tabs>

      <KeyActionDialogs k={k} pending={pending} onClose={() => setPending(null)} run={run} />
    </div>
  );
}
