"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import type { RequestSummary } from "@/lib/approvals";
import { unwrap } from "@/lib/console/client";
import type { ActionResult } from "@/lib/console/result";

/** The server action that reveals (app/(console)/approvals/actions.ts), passed down by the page. */
export type RevealAction = (input: { requestId: string }) => Promise<ActionResult<{ requestId: string; operation: string; secret: Record<string, unknown> }>>;

const LABELS: Record<string, string> = { SecretAccessKey: "Secret access key", generatedPassword: "Temporary password" };

/**
 * "Reveal once" for the requester of an executed change that produced a
 * secret (a new access key's secret, a temporary password): shown in this
 * dialog only, then erased on the server; the card then says when it was revealed.
 */
export function RevealSecret({ request: r, reveal, onRevealed }: { request: RequestSummary; reveal: RevealAction; onRevealed: () => void }) {
  const [secret, setSecret] = useState<Record<string, unknown> | null>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  if (r.secretRevealedAt && !secret) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">Secret revealed to the requester on {new Date(r.secretRevealedAt).toLocaleString()}; it is not kept.</p>;
  }
  if (r.secretExpiredAt && !secret) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">Secret expired unrevealed on {new Date(r.secretExpiredAt).toLocaleString()} and was erased; ask for the change again.</p>;
  }
  if (!r.secretToReveal && !secret) return null;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex items-center gap-2">
        <Button
          size="sm"
          disabled={busy}
          aria-label={`Reveal the secret of ${r.operation} once`}
          onClick={async () => {
            setBusy(true);
            setError("");
            try {
              setSecret((await unwrap(reveal({ requestId: r.id }))).secret);
            } catch (e) {
              setError((e as Error).message);
            } finally {
              setBusy(false);
            }
          }}
        >
          Reveal once
        </Button>
        <span className="text-sm text-slate-600 dark:text-slate-400">The change made a secret only you can see, once.</span>
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      <Dialog
        open={!!secret}
        onClose={() => {
          setSecret(null);
          onRevealed();
        }}
        title="Shown once"
      >
        <p className="text-sm text-slate-600 dark:text-slate-400">Copy it now: Keyhold has erased it and cannot show it again.</p>
        <dl className="flex flex-col gap-2 text-sm">
          {Object.entries(secret ?? {}).map(([k, v]) => (
            <div key={k} className="flex flex-col gap-1">
              <dt className="text-slate-500">{LABELS[k] ?? k}</dt>
              <dd className="flex items-center gap-2">
                <code data-testid="revealed-secret" className="rounded-md bg-slate-100 px-3 py-2 font-mono break-all dark:bg-slate-800">
                  {String(v)}
                </code>
                <CopyButton value={String(v)} label={LABELS[k] ?? k} />
              </dd>
            </div>
          ))}
        </dl>
        <div className="flex justify-end">
          <Button
            onClick={() => {
              setSecret(null);
              onRevealed();
            }}
          >
            Done
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
