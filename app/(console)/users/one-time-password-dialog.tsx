"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

/** Shows a generated password exactly once; it is not stored anywhere in clear. */
export function OneTimePasswordDialog({
  value,
  onClose,
}: {
  value: { username: string; password: string } | null;
  onClose: () => void;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <Dialog open={!!value} onClose={() => { setCopied(false); onClose(); }} title="One-time password">
      {value && (
        <>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Give this password to <strong>{value.username}</strong>. It is shown only now; they must choose a new one
            when they first sign in.
          </p>
          <code data-testid="one-time-password" className="rounded-md bg-slate-100 px-3 py-2 font-mono text-base break-all dark:bg-slate-800">
            {value.password}
          </code>
          <div className="flex justify-end gap-2">
            <Button
              variant="secondary"
              onClick={async () => {
                await navigator.clipboard?.writeText(value.password).catch(() => {});
                setCopied(true);
              }}
            >
              {copied ? "Copied" : "Copy"}
            </Button>
            <Button onClick={() => { setCopied(false); onClose(); }}>Done</Button>
          </div>
        </>
      )}
    </Dialog>
  );
}
