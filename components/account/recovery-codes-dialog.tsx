"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

/** Shows recovery codes exactly once: only their hashes are kept. */
export function RecoveryCodesDialog({ codes, onClose }: { codes: string[] | null; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  const close = () => {
    setCopied(false);
    onClose();
  };
  return (
    <Dialog open={!!codes} onClose={close} title="Recovery codes">
      {codes && (
        <>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Keep these somewhere safe. Each one signs you in once if you lose your authenticator or passkey. They are shown only now.
          </p>
          <ul data-testid="recovery-codes" className="grid grid-cols-2 gap-1 rounded-md bg-slate-100 p-3 font-mono text-sm dark:bg-slate-800">
            {codes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
          <div className="flex justify-end gap-2">
            <Button
              variant="secondary"
              onClick={async () => {
                await navigator.clipboard?.writeText(codes.join("\n")).catch(() => {});
                setCopied(true);
              }}
            >
              {copied ? "Copied" : "Copy"}
            </Button>
            <Button onClick={close}>I have saved them</Button>
          </div>
        </>
      )}
    </Dialog>
  );
}
