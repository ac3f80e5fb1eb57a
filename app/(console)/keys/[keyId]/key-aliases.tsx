"use client";

import { useState } from "react";
import { unwrap } from "@/components/keys/client";
import { aliasError, fullAlias } from "@/components/keys/validation";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import type { KeyDetail } from "@/lib/console/keys/types";
import { createAliasAction, deleteAliasAction, updateAliasAction } from "../actions";
import type { Run } from "./run";

export function Aliases({ k, canManage, run }: { k: KeyDetail; canManage: boolean; run: Run }) {
  const [alias, setAlias] = useState("");
  const [repoint, setRepoint] = useState<string | null>(null);
  const [target, setTarget] = useState("");
  const full = alias.trim() ? fullAlias(alias) : "";
  const error = full ? aliasError(full) : "";
  return (
    <div className="flex flex-col gap-4">
      {k.aliases.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">This key has no alias.</p>
      ) : (
        <table className="w-full text-left text-sm" aria-label="Aliases">
          <thead className="text-xs text-slate-500 uppercase">
            <tr>
              <th className="py-2">Alias</th>
              <th className="py-2">ARN</th>
              {canManage && <th className="py-2 text-right">Actions</th>}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {k.aliases.map((a) => (
              <tr key={a}>
                <td className="py-2 font-mono">{a}</td>
                <td className="py-2 font-mono text-xs text-slate-500">{k.aliasArns[a]}</td>
                {canManage && (
                  <td className="py-2">
                    <div className="flex justify-end gap-2">
                      <Button variant="secondary" size="sm" aria-label={`Re-point ${a}`} onClick={() => setRepoint(a)}>
                        Re-point
                      </Button>
                      <Button
                        variant="secondary"
                        size="sm"
                        aria-label={`Delete ${a}`}
                        onClick={() => void run(() => unwrap(deleteAliasAction(a)), `Alias ${a} deleted`, { aliases: k.aliases.filter((x) => x !== a) })}
                      >
                        Delete
                      </Button>
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canManage && k.keyState !== "PendingDeletion" && (
        <form
          className="flex flex-wrap items-start gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (!full || error) return;
            setAlias("");
            void run(() => unwrap(createAliasAction(k.id, full)), `Alias ${full} added`, { aliases: [...k.aliases, full] });
          }}
        >
          <div className="w-80">
            <Field label="New alias" error={error}>
              {(p) => <Input {...p} placeholder="alias/my-key" value={alias} onChange={(e) => setAlias(e.target.value)} className="font-mono" />}
            </Field>
          </div>
          <Button type="submit" className="mt-6" disabled={!full || !!error}>
            Add alias
          </Button>
        </form>
      )}
      <Dialog open={!!repoint} onClose={() => setRepoint(null)} title="Re-point alias">
        <form
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const a = repoint!;
            setRepoint(null);
            void run(() => unwrap(updateAliasAction(a, target.trim())), `${a} now points to ${target.trim()}`, {
              aliases: k.aliases.filter((x) => x !== a),
            });
            setTarget("");
          }}
        >
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Point <span className="font-mono">{repoint}</span> to another key of the same type and usage.
          </p>
          <Field label="Target key ID or ARN">
            {(p) => <Input {...p} required value={target} onChange={(e) => setTarget(e.target.value)} className="font-mono" />}
          </Field>
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => setRepoint(null)}>
              Cancel
            </Button>
            <Button type="submit">Re-point</Button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
