"use client";

import { useState } from "react";
import { Dialog } from "@/components/ui/dialog";
import { DialogActions, FormError } from "@/components/ui/form-footer";
import { setUserTagsAction } from "./actions";

const toText = (tags: Record<string, string>) =>
  Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n");

/** "key=value" per line → tags; the first problem as a message. */
function parse(text: string): { tags: Record<string, string> } | { error: string } {
  const tags: Record<string, string> = {};
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (!line) continue;
    const at = line.indexOf("=");
    if (at < 1) return { error: `Line ${i + 1}: write each tag as key=value` };
    tags[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return { tags };
}

/** A user's tags: the aws:PrincipalTag/<key> values key policies and roles can test. */
export function UserTagsDialog({
  user,
  onClose,
  onSaved,
}: {
  user: { id: string; username: string; tags: Record<string, string> } | null;
  onClose: () => void;
  onSaved: (username: string) => void;
}) {
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!user) return;
    const parsed = parse(String(new FormData(e.currentTarget).get("tags") ?? ""));
    if ("error" in parsed) return setError(parsed.error);
    setBusy(true);
    setError("");
    const result = await setUserTagsAction({ userId: user.id, tags: parsed.tags });
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    onSaved(user.username);
  }

  return (
    <Dialog open={!!user} onClose={onClose} title={`Tags of ${user?.username ?? ""}`}>
      {user && (
        <form onSubmit={onSubmit} className="flex flex-col gap-3">
          <label className="flex flex-col gap-1 text-sm">
            <span className="font-medium">Tags, one key=value per line</span>
            <textarea
              name="tags"
              rows={6}
              defaultValue={toText(user.tags)}
              spellCheck={false}
              className="rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs dark:border-slate-600 dark:bg-slate-950"
            />
            <span className="text-xs text-slate-500 dark:text-slate-400">
              Policies read them as aws:PrincipalTag/&lt;key&gt; (e.g. grant a key to everyone tagged team=payments).
            </span>
          </label>
          <FormError message={error} />
          <DialogActions onCancel={onClose} submitLabel="Save tags" busy={busy} />
        </form>
      )}
    </Dialog>
  );
}
