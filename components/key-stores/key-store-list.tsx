"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import { CreateKeyStoreDialog } from "./create-key-store-dialog";
import { CONNECTION_ERROR_HELP, STATE_TONES, type KeyStoreActions, type KeyStoreSummary } from "./types";

interface Can {
  create: boolean;
  connect: boolean;
  disconnect: boolean;
  remove: boolean;
}

/** The custom key stores: state, keys, connect/disconnect, create and delete. */
export function KeyStoreList({ stores, can, actions }: { stores: KeyStoreSummary[]; can: Can; actions: KeyStoreActions }) {
  const router = useRouter();
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const [confirm, setConfirm] = useState<{ store: KeyStoreSummary; kind: "disconnect" | "delete" } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function run(store: KeyStoreSummary, kind: "connect" | "disconnect" | "delete") {
    setBusy(store.id);
    const action = kind === "connect" ? actions.connect : kind === "disconnect" ? actions.disconnect : actions.remove;
    const result = await action(store.id);
    setBusy(null);
    setConfirm(null);
    if (!result.ok) return result.error.approvalRequestId ? toast("info", `Approval requested. ${result.error.message}`) : toast("error", result.error.message);
    toast("success", kind === "delete" ? `Key store ${store.name} deleted` : kind === "connect" ? `Connecting ${store.name}…` : `Key store ${store.name} disconnected`);
    router.refresh();
  }

  return (
    <section aria-labelledby="stores-title" className="flex flex-col gap-3">
      <div className="flex items-end justify-between gap-2">
        <h2 id="stores-title" className="text-xl font-semibold">
          Custom key stores
        </h2>
        {can.create && <Button onClick={() => setCreating(true)}>Create key store</Button>}
      </div>
      {stores.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No custom key stores. Every key is protected by Keyhold&apos;s root key.</p>
      ) : (
        <table className="w-full text-sm" aria-label="Custom key stores">
          <thead className="text-left text-slate-500">
            <tr>
              <th className="py-2">Name</th>
              <th>Token</th>
              <th>State</th>
              <th>Keys</th>
              <th className="sr-only">Actions</th>
            </tr>
          </thead>
          <tbody>
            {stores.map((store) => (
              <tr key={store.id} className="border-t border-slate-200 align-top dark:border-slate-800" data-testid={`key-store-${store.name}`}>
                <td className="py-2">
                  <div className="font-medium">{store.name}</div>
                  <div className="font-mono text-xs text-slate-500">{store.id}</div>
                </td>
                <td className="py-2 font-mono text-xs">{store.clusterId}</td>
                <td className="py-2">
                  <Badge tone={STATE_TONES[store.connectionState as keyof typeof STATE_TONES] ?? "slate"}>{store.connectionState}</Badge>
                  {store.connectionErrorCode && (
                    <p className="mt-1 max-w-xs text-xs text-red-700 dark:text-red-300">
                      {store.connectionErrorCode}: {CONNECTION_ERROR_HELP[store.connectionErrorCode] ?? ""}
                    </p>
                  )}
                </td>
                <td className="py-2">
                  {store.keys === undefined ? (
                    <span className="text-slate-500">—</span>
                  ) : store.keys.length === 0 ? (
                    <span className="text-slate-500">none</span>
                  ) : (
                    <ul className="flex flex-col gap-0.5">
                      {store.keys.map((k) => (
                        <li key={k.keyId}>
                          <Link href={`/keys/${k.keyId}`} className="font-mono text-xs text-indigo-700 underline dark:text-indigo-300">
                            {k.keyId}
                          </Link>{" "}
                          <span className="text-xs text-slate-500">{k.keyState}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="flex justify-end gap-2 py-2">
                  {can.connect && store.connectionState !== "CONNECTED" && (
                    <Button size="sm" busy={busy === store.id} onClick={() => void run(store, "connect")} aria-label={`Connect ${store.name}`}>
                      Connect
                    </Button>
                  )}
                  {can.disconnect && store.connectionState !== "DISCONNECTED" && (
                    <Button size="sm" variant="secondary" onClick={() => setConfirm({ store, kind: "disconnect" })} aria-label={`Disconnect ${store.name}`}>
                      Disconnect
                    </Button>
                  )}
                  {can.remove && (
                    <Button size="sm" variant="danger" onClick={() => setConfirm({ store, kind: "delete" })} aria-label={`Delete ${store.name}`}>
                      Delete
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {creating && (
        <CreateKeyStoreDialog
          create={actions.create}
          onClose={() => setCreating(false)}
          onHeld={(message) => {
            setCreating(false);
            toast("info", `Approval requested. ${message}`);
          }}
          onCreated={(name) => {
            setCreating(false);
            toast("success", `Key store ${name} created; connect it to create keys in it`);
            router.refresh();
          }}
        />
      )}
      <ConfirmDialog
        open={!!confirm}
        title={confirm?.kind === "delete" ? `Delete key store ${confirm.store.name}` : `Disconnect key store ${confirm?.store.name ?? ""}`}
        confirmLabel={confirm?.kind === "delete" ? "Delete" : "Disconnect"}
        tone="danger"
        busy={!!confirm && busy === confirm.store.id}
        typeToConfirm={confirm?.kind === "delete" ? confirm.store.name : undefined}
        onConfirm={() => confirm && void run(confirm.store, confirm.kind)}
        onClose={() => setConfirm(null)}
      >
        {confirm?.kind === "delete"
          ? "The store must be disconnected and hold no keys. The token and its objects are left as they are."
          : "Every key in this store becomes unavailable (Encrypt, Decrypt and the others fail) until it is connected again."}
      </ConfirmDialog>
    </section>
  );
}
